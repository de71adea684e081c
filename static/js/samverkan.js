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

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-live-poll]"), livePoll);
  });
})();
