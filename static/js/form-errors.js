// A refused form: bring its error summary (templates/_error_summary.html) to the top of the screen and
// move the focus to the first field in error when the summary stays in view with it (a short form on
// a desktop), else to the summary itself (a phone: the message first; its links lead to each field).
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  function fieldOf(link) {
    var id = decodeURIComponent((link.getAttribute("href") || "").slice(1));
    return id ? document.getElementById(id) : null;
  }
  summary.scrollIntoView({ block: "start" });
  var first = null;
  var links = summary.querySelectorAll("a[href^='#']");
  for (var i = 0; i < links.length && !first; i += 1) {
    first = fieldOf(links[i]);
  }
  var box = first ? first.getBoundingClientRect() : null;
  if (box && box.top >= 0 && box.bottom <= window.innerHeight) {
    first.focus({ preventScroll: true });
  } else {
    summary.focus({ preventScroll: true });
  }
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link ? fieldOf(link) : null;
    if (field) {
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
    }
  });
})();
