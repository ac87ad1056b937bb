// The type-ahead of an enterprise typed by name or credit code (the 吐槽大会 grid): as one types, ask
// the field's data-lookup-url for the enterprises the user may submit for and offer them in a
// <datalist> (the browser's own, keyboard-accessible list); choosing one puts its credit code in the
// field. Without this script the field takes the code or the exact name as typed.
(function () {
  "use strict";
  var DELAY = 200;
  function attach(input, index) {
    var list = document.createElement("datalist");
    list.id = "enterprise-suggestions-" + index;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    var timer = null;
    var asked = "";
    function show(results) {
      list.replaceChildren();
      results.forEach(function (row) {
        var option = document.createElement("option");
        option.value = row.credit_code;
        option.label = row.name;
        option.textContent = row.name;
        list.appendChild(option);
      });
    }
    function ask() {
      var text = input.value.trim();
      if (!text || text === asked) {
        return;
      }
      asked = text;
      var url = input.dataset.lookupUrl + "?q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) {
          if (input.value.trim() === text) {
            show(body.results || []);
          }
        })
        .catch(function () { show([]); });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    });
  }
  document.querySelectorAll("input[data-lookup-url]").forEach(attach);
})();
