// The big screen (templates/dashboards/screen.html): the clock, and the figures kept fresh. Every
// data-refresh-seconds the page fetches itself (same URL, same period) and swaps in each element
// marked data-refresh, by id, then draws the new charts (static/js/charts.js). The server renders the
// figures once, for the page and the refresh alike, so nothing here knows how a figure is computed or
// written. A failed refresh keeps the last figures and says so; a session that ended (the answer is
// the sign-in page) reloads the page, which then shows the sign-in page itself. No inline script: the
// CSP allows only 'self'.
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.getAttribute("data-refresh-seconds"), 10) || 60;
  var timeZone = body.getAttribute("data-time-zone") || undefined;
  var lang = document.documentElement.lang || undefined;
  var offset = 0; // the server's clock minus this display's: the clock shows the server's time

  function serverOffset(root) {
    var clock = root.querySelector("#screen-clock");
    var at = clock && parseInt(clock.getAttribute("data-server-now"), 10);
    if (at) offset = at * 1000 - Date.now();
  }

  function formats() {
    try {
      return {
        day: new Intl.DateTimeFormat(lang, { timeZone: timeZone, year: "numeric", month: "long", day: "numeric", weekday: "long" }),
        time: new Intl.DateTimeFormat(lang, { timeZone: timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }),
      };
    } catch (error) {
      return null; // an unknown time zone or language: the server's time stays shown
    }
  }

  function tick(format) {
    var clock = document.getElementById("screen-clock");
    if (!clock || !format) return;
    var now = new Date(Date.now() + offset);
    clock.textContent = format.day.format(now) + " " + format.time.format(now);
    clock.setAttribute("datetime", now.toISOString());
  }

  function stale(failed) {
    var note = document.getElementById("screen-stale");
    if (note) note.textContent = failed ? note.getAttribute("data-text") : "";
  }

  // The figures whose table a reader opened stay that way after a refresh.
  function openTables() {
    return Array.prototype.map.call(document.querySelectorAll("figure.chart.show-table"), function (figure) {
      return figure.id;
    });
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var opened = openTables();
    Array.prototype.forEach.call(document.querySelectorAll("[data-refresh][id]"), function (old) {
      var next = fresh.getElementById(old.id);
      if (next) old.replaceWith(document.importNode(next, true));
    });
    serverOffset(fresh);
    if (window.chainpartyCharts) window.chainpartyCharts.draw(document);
    opened.forEach(function (id) {
      var button = document.querySelector("#" + id + " .chart-toggle");
      if (button && button.getAttribute("aria-expanded") !== "true") button.click();
    });
  }

  var busy = false;

  function refresh() {
    if (busy) return Promise.resolve(); // a slow answer is awaited, not asked for twice
    busy = true;
    var here = window.location.href;
    return fetch(here, { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (response.redirected && response.url.split("#")[0] !== here.split("#")[0]) {
          window.location.reload(); // signed out: let the server say where to go
          return;
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text().then(function (html) {
          swap(html);
          stale(false);
        });
      })
      .catch(function () {
        stale(true);
      })
      .then(function () {
        busy = false;
      });
  }

  serverOffset(document);
  var format = formats();
  tick(format);
  window.setInterval(function () {
    tick(format);
  }, 1000);
  if (document.getElementById("screen-figures")) window.setInterval(refresh, seconds * 1000);
  window.chainpartyScreen = { refresh: refresh };
})();
