// Samverkan's small progressive enhancements. Every page works without it.
(function () {
  "use strict";
  // After an htmx swap, move focus to an element that asks for it, so that
  // keyboard and screen-reader users land on the new content.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt && event.detail.elt.querySelector("[data-focus-after-swap]");
    if (target) { target.focus(); }
  });

  // Live screens (core/live.py): an element with data-live-poll asks its URL
  // about once a second with the version the page shows (If-None-Match). The
  // server answers 304 while nothing changed; on a new version (204 with an
  // ETag) the page's live regions, whose hx-trigger listens for "live-changed"
  // on <body>, fetch their content again. A hidden tab does not ask; it asks at
  // once when shown again. When the server cannot be reached the element says
  // so (its data-live-lost text). A redirect or a refusal means the session has
  // ended: the page is loaded again, which shows the log-in.
  function livePoll(element) {
    var url = element.getAttribute("data-live-poll");
    var shown = '"' + element.getAttribute("data-live-version") + '"';
    var every = parseInt(element.getAttribute("data-live-interval") || "1000", 10);
    var timer = null;
    var asking = false;

    function lost(isLost) {
      element.textContent = isLost ? element.getAttribute("data-live-lost") : "";
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, every);
    }

    function ask() {
      if (asking) { return; }
      if (document.hidden) { later(); return; }
      asking = true;
      window.fetch(url, {
        cache: "no-store",
        credentials: "same-origin",
        redirect: "manual",
        headers: {"If-None-Match": shown},
      }).then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
          window.location.reload();
          return;
        }
        if (response.status === 304) { lost(false); return; }
        if (response.ok && response.headers.get("ETag")) {
          lost(false);
          shown = response.headers.get("ETag");
          document.body.dispatchEvent(new CustomEvent("live-changed"));
          return;
        }
        lost(true);
      }, function () {
        lost(true);
      }).then(function () {
        asking = false;
        later();
      });
    }

    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) { ask(); }
    });
    later();
  }

  // A list narrowed by a search field (data-filter): without JavaScript its "Sök" button
  // posts the form back narrowed by the server; with it, the list narrows as one types
  // and a polite status says how many are shown. Ticked items are always shown.
  function filterList(container) {
    var input = container.querySelector("[data-filter-input]");
    var status = container.querySelector("[data-filter-status]");
    var items = container.querySelectorAll("[data-filter-item]");
    var submit = container.querySelector("[data-filter-submit]");
    if (!input) { return; }
    if (submit) { submit.hidden = true; }
    function apply() {
      var words = input.value.trim().toLocaleLowerCase("sv");
      var shown = 0;
      Array.prototype.forEach.call(items, function (item) {
        var box = item.querySelector("input");
        var match = !words || (box && box.checked) ||
          item.textContent.toLocaleLowerCase("sv").indexOf(words) !== -1;
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      if (status) {
        status.textContent = shown === 1 ? status.getAttribute("data-filter-one")
          : shown + " " + status.getAttribute("data-filter-many");
      }
    }
    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // typing narrows; Enter does not post
    });
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-live-poll]"), livePoll);
    Array.prototype.forEach.call(document.querySelectorAll("[data-filter]"), filterList);
  });
})();
