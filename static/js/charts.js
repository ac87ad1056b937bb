// Charts: every <figure class="chart"> of the page drawn by Apache ECharts (static/vendor/echarts,
// installed by make from package-lock.json) from its JSON data islands, written by
// templates/dashboards/_chart.html with Django's json_script (no inline script: the CSP allows only
// 'self'). The figure's table is the same data: visible without script, read by a screen reader
// beside the chart, and one click away (the figure's toggle button) for reading and copying.
(function () {
  "use strict";
  if (window.chainpartyCharts) return; // the script may be included by several partials of one page
  var charts = [];
  window.chainpartyCharts = charts;

  // The portal's red and gold, then colours told apart from them (and from each other) in print too.
  var LIGHT = ["#b8141b", "#d9a441", "#2f5d9b", "#1f7a3e", "#7a4fa0", "#5f6670", "#e0663a", "#13808a"];
  var DARK = ["#ff6b6b", "#ffd166", "#5fb3ff", "#5fd38d", "#c39bff", "#c8ced6", "#ff9f68", "#4fd1d9"];

  function island(figure, part) {
    var node = document.getElementById(figure.id + "-" + part);
    return node ? JSON.parse(node.textContent) : null;
  }

  function isDark(figure) {
    return !!figure.closest("[data-theme=dark]");
  }

  function formatter(unit) {
    return function (value) {
      if (value === null || value === undefined || value === "") return "—";
      return String(value) + (unit || "");
    };
  }

  function option(figure, labels, series) {
    var kind = figure.getAttribute("data-kind") || "bar";
    var unit = figure.getAttribute("data-unit") || "";
    var dark = isDark(figure);
    var big = figure.closest(".screen") !== null;
    var text = dark ? "#e8ecf1" : "#1f2328";
    var muted = dark ? "#aab4c0" : "#5f6670";
    var line = dark ? "rgba(255,255,255,.16)" : "#dfe2e6";
    // The big screen's text follows its rem, which follows the display (screen.css): 18 px at 1920×1080.
    var size = big ? Math.round(1.125 * parseFloat(getComputedStyle(document.documentElement).fontSize)) || 18 : 12;
    var format = formatter(unit);
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var base = {
      color: dark ? DARK : LIGHT,
      backgroundColor: "transparent",
      animation: !reduced,
      animationDuration: 400,
      textStyle: { color: text, fontSize: size, fontFamily: getComputedStyle(figure).fontFamily },
      tooltip: { trigger: kind === "pie" ? "item" : "axis", valueFormatter: format, confine: true },
      legend: {
        show: series.length > 1 || kind === "pie",
        top: 0,
        type: "scroll",
        textStyle: { color: text, fontSize: size },
        pageTextStyle: { color: muted },
      },
    };
    if (kind === "pie") {
      var slices = labels.map(function (label, i) {
        return { name: label, value: series[0].data[i] };
      });
      base.series = [
        {
          type: "pie",
          name: series[0].name,
          radius: ["38%", "68%"],
          center: ["50%", "58%"],
          data: slices,
          label: { color: text, fontSize: size, formatter: "{b}: {c}" + unit },
          itemStyle: { borderColor: dark ? "#10151c" : "#fff", borderWidth: 1 },
        },
      ];
      return base;
    }
    var horizontal = kind === "hbar";
    var categories = {
      type: "category",
      data: labels,
      axisLabel: { color: muted, fontSize: size, hideOverlap: true },
      axisLine: { lineStyle: { color: line } },
      axisTick: { show: false },
      inverse: horizontal, // a ranking reads from the top
    };
    var values = {
      type: "value",
      minInterval: unit === "%" ? 0 : 1,
      max: unit === "%" ? 100 : null,
      axisLabel: { color: muted, fontSize: size, formatter: format },
      splitLine: { lineStyle: { color: line } },
    };
    base.grid = { left: 8, right: horizontal ? 56 : 16, top: base.legend.show ? 36 + size : 16, bottom: 8, containLabel: true };
    base.xAxis = horizontal ? values : categories;
    base.yAxis = horizontal ? categories : values;
    base.series = series.map(function (s) {
      return {
        type: kind === "line" ? "line" : "bar",
        name: s.name,
        data: s.data,
        smooth: false,
        symbolSize: big ? 10 : 6,
        lineStyle: { width: big ? 4 : 2 },
        barMaxWidth: big ? 48 : 28,
        label: { show: horizontal, position: "right", color: text, fontSize: size, formatter: "{c}" + unit },
      };
    });
    return base;
  }

  // A click on a bar, point or slice opens the list behind that number, when the data names one.
  function linkClicks(chart, series) {
    chart.on("click", function (params) {
      var s = series[params.seriesIndex] || series[0];
      var url = s && s.links && s.links[params.dataIndex];
      if (url) window.location.assign(url);
    });
  }

  function toggle(figure, chart) {
    var button = figure.querySelector(".chart-toggle");
    var table = figure.querySelector(".chart-table");
    var canvas = figure.querySelector(".chart-canvas");
    if (!button || !table) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      button.textContent = button.getAttribute(open ? "data-label-chart" : "data-label-table");
      figure.classList.toggle("show-table", open);
      canvas.hidden = open;
      if (!open) chart.resize();
    });
  }

  function draw(figure) {
    var canvas = figure.querySelector(".chart-canvas");
    var labels = island(figure, "labels");
    var series = island(figure, "series");
    if (!canvas || !labels || !series || !series.length || !window.echarts) return;
    figure.classList.add("drawn"); // the table steps back for sighted readers (it stays for screen readers)
    var chart = window.echarts.init(canvas, isDark(figure) ? "dark" : null, { renderer: "svg" });
    chart.setOption(option(figure, labels, series));
    linkClicks(chart, series);
    toggle(figure, chart);
    // Resize-aware: a phone turned sideways, a window dragged, a column that wraps.
    var observer = null;
    if (window.ResizeObserver) {
      observer = new ResizeObserver(function () {
        if (!canvas.hidden) chart.resize();
      });
      observer.observe(canvas);
    }
    charts.push({ figure: figure, chart: chart, observer: observer });
  }

  // Draw the charts under root (the page, or a part of it that was just replaced: the big screen's
  // refresh); forget those that are no longer in the page.
  charts.draw = function (root) {
    for (var i = charts.length - 1; i >= 0; i--) {
      if (!document.body.contains(charts[i].figure)) {
        if (charts[i].observer) charts[i].observer.disconnect();
        charts[i].chart.dispose();
        charts.splice(i, 1);
      }
    }
    Array.prototype.forEach.call((root || document).querySelectorAll("figure.chart:not(.drawn)"), draw);
  };

  function start() {
    charts.draw(document);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
