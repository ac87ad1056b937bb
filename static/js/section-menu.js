// A section's menu on a narrow screen (templates/partyorgs/_org_nav.html): the links fold behind a
// button that opens and closes them (a disclosure: aria-expanded, Escape closes it). The CSS folds
// them only once this script has marked the menu collapsible, so without the script the links stay
// listed and nothing depends on it. No inline script: the CSP allows none.
(function () {
  "use strict";
  document.querySelectorAll("[data-section-menu]").forEach(function (nav) {
    var button = nav.querySelector("[data-section-toggle]");
    if (!button) {
      return;
    }
    var current = nav.querySelector("a[aria-current=page]");
    var label = button.querySelector("[data-section-current]");
    if (current && label) {
      label.textContent = current.textContent;
    }
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
    }
    setOpen(false);
    button.hidden = false;
    nav.classList.add("is-collapsible");
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("is-open")) {
        setOpen(false);
        button.focus();
      }
    });
  });
})();
