// The portal's few behaviours on every page (a file, not inline script: the CSP allows only 'self').
// Each one only improves a page that works without it.
(function () {
  "use strict";

  // The menu on a narrow screen: folded behind a button that says whether it is open. Without this
  // script the button stays hidden and the menu open.
  function menu() {
    var button = document.querySelector(".nav-toggle");
    var nav = document.getElementById("main-nav");
    if (!button || !nav) return;
    button.hidden = false;
    document.documentElement.classList.add("nav-folds");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    });
  }

  // The first field the server refused (a form of an action sits in a folded <details>: unfold it).
  function firstRefused() {
    var field = document.querySelector("main .has-error, main .errors");
    if (!field) return null;
    var details = field.closest("details");
    if (details) details.open = true;
    return field.querySelector("input:not([type=hidden]), select, textarea") || field;
  }

  function moveTo(element) {
    if (!element.matches("input, select, textarea, button, a[href]") && !element.hasAttribute("tabindex")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: true });
    element.scrollIntoView({ block: "center" });
  }

  // A failed action: its message is at the top of the page and takes the focus (a screen reader reads
  // it, a phone shows it without scrolling), with a link down to the first refused field. Without a
  // message, the first refused field takes the focus.
  function feedback() {
    var refused = firstRefused();
    var message = document.querySelector(".messages .message.error");
    if (!message) {
      if (refused) moveTo(refused);
      return;
    }
    if (refused) {
      var link = document.createElement("a");
      link.href = "#";
      link.className = "goto-error";
      link.textContent = message.parentNode.getAttribute("data-goto-error");
      link.addEventListener("click", function (event) {
        event.preventDefault();
        moveTo(refused);
      });
      message.appendChild(document.createTextNode(" "));
      message.appendChild(link);
    }
    message.focus({ preventScroll: true });
  }

  // List rows shown as cards on a narrow screen: each cell is labelled with its column's heading.
  function cardLabels() {
    document.querySelectorAll("table.stack").forEach(function (table) {
      var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.replace(/\s+/g, " ").trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (headings[index] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", headings[index]);
        });
      });
    });
  }

  // A table wider than the screen scrolls inside its box: the box takes the keyboard's focus, so the
  // arrow keys scroll it too.
  function scrollableTables() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
    });
  }

  menu();
  cardLabels();
  scrollableTables();
  feedback();
})();
