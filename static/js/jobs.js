// The job page's progress bar: poll the job's status once a second, fill in the figures, and
// reload the page (which then shows the result) when the job is finished.
(function () {
  "use strict";
  var panel = document.querySelector("[data-job-status-url]");
  if (!panel || panel.dataset.finished === "1") {
    return;
  }
  var bar = panel.querySelector("progress");
  function show(state) {
    bar.value = state.percent;
    bar.textContent = state.percent + "%";
    panel.querySelectorAll("[data-job-field]").forEach(function (node) {
      var value = state[node.dataset.jobField];
      if (value !== undefined) {
        node.textContent = value;
      }
    });
  }
  function poll() {
    fetch(panel.dataset.jobStatusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) {
          window.setTimeout(poll, 3000);
          return;
        }
        show(state);
        if (state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
