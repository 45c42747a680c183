/* The 应入尽入 page's chart (no build step, no inline script): per county the firms listed (screened and the
   county's own), contacted, applied and entered as bars, and those found not to qualify or declining. The data
   are JSON in the chart's data-chart attribute; the table under it works without this script. The chart says it
   is drawn (data-ready) and how many series it has (data-series). */
(function () {
  "use strict";
  var BLUE = "#1f4e79", LIGHT = "#9dc3e6", GREEN = "#548235", ORANGE = "#e07b00", GREY = "#a6a6a6";

  function funnel(box) {
    var d = JSON.parse(box.dataset.chart);
    var chart = window.echarts.init(box, null, { locale: "ZH", renderer: "canvas" });
    var series = [["候选企业", d.screened, BLUE], ["已联系", d.contacted, LIGHT], ["已申报", d.applied, ORANGE],
                  ["已入库", d.entered, GREEN], ["不符合或暂不申报", d.negative, GREY]];
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 24, top: 40, bottom: 56 },
      tooltip: { trigger: "axis" },
      legend: { data: series.map(function (s) { return s[0]; }), top: 0 },
      xAxis: { type: "category", data: d.counties, axisLabel: { interval: 0, rotate: d.counties.length > 8 ? 30 : 0 } },
      yAxis: { type: "value", name: "家", minInterval: 1 },
      series: series.map(function (s) {
        return { name: s[0], type: "bar", data: s[1], barMaxWidth: 22, itemStyle: { color: s[2] } };
      })
    });
    box.dataset.series = String(series.length);
    box.dataset.ready = "1";
    return chart;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("funnel");
    if (!box || !window.echarts) { return; }
    var chart = funnel(box);
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
