// Samverkan's small progressive enhancements. Every page works without it.
(function () {
  "use strict";
  // After an htmx swap, move focus to an element that asks for it, so that
  // keyboard and screen-reader users land on the new content.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt && event.detail.elt.querySelector("[data-focus-after-swap]");
    if (target) { target.focus(); }
  });
})();
