/* The 培育 page's charts (no build step, no inline script): the funnel per county, a firm's year-to-date revenue
   against 2000 万元 and the forecast band per county. The data are JSON in each chart's data-chart attribute; the
   tables under the charts work without this script. Each chart says it is drawn (data-ready) and how many series
   it has (data-series), and the firm chart which firm it shows (data-firm) with how many points (data-points). */
(function () {
  "use strict";
  var BLUE = "#1f4e79", LIGHT = "#9dc3e6", GREEN = "#548235", RED = "#c0504d", ORANGE = "#e07b00";

  function draw(box, option) {
    var chart = window.echarts.getInstanceByDom(box) ||
      window.echarts.init(box, null, { locale: "ZH", renderer: "canvas" });
    chart.setOption(option, true);
    box.dataset.series = String(option.series.length);
    box.dataset.ready = "1";
    return chart;
  }

  function wan(v) {
    if (v === null || v === undefined) { return "无数据"; }
    return Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + " 万元";
  }

  /* 培育漏斗: per county the pool, those at 2000 万元 and those entered this year as bars, the target as a mark */
  function funnel(box) {
    var d = JSON.parse(box.dataset.chart);
    return draw(box, {
      animation: false,
      grid: { left: 48, right: 24, top: 40, bottom: 56 },
      tooltip: { trigger: "axis", formatter: function (items) {
        var i = items[0].dataIndex, lines = [d.counties[i]];
        items.forEach(function (it) {
          lines.push(it.marker + it.seriesName + "：" + (it.value === null ? "—" : it.value + " 家"));
        });
        lines.push("培育库覆盖率：" + (d.coverage[i] === null ? "—" : d.coverage[i] + "%"));
        return lines.join("<br>");
      } },
      legend: { data: ["培育库企业", "已达2000万元", "已入库（培育库企业）", "对照目标"], top: 0 },
      xAxis: { type: "category", data: d.counties, axisLabel: { interval: 0, rotate: d.counties.length > 8 ? 30 : 0 } },
      yAxis: { type: "value", name: "家", minInterval: 1 },
      series: [
        { name: "培育库企业", type: "bar", data: d.pool, barMaxWidth: 26, itemStyle: { color: BLUE },
          label: { show: true, position: "top" } },
        { name: "已达2000万元", type: "bar", data: d.at_threshold, barMaxWidth: 26, itemStyle: { color: ORANGE } },
        { name: "已入库（培育库企业）", type: "bar", data: d.entered, barMaxWidth: 26, itemStyle: { color: GREEN } },
        { name: "对照目标", type: "scatter", data: d.target, symbol: "rect", symbolSize: [34, 3], itemStyle: { color: RED },
          z: 5 }
      ]
    });
  }

  function monthLabel(m) { return m === 1 ? "1月" : "1-" + m + "月"; }

  /* a firm's year-to-date revenue per reported month, the 2000 万元 line, and its December forecast with range */
  function firmLine(box, uscc) {
    var d = box._data || (box._data = JSON.parse(box.dataset.chart));
    var firm = d.firms[uscc];
    if (!firm) {
      box.dataset.firm = "";
      box.dataset.points = "0";
      return draw(box, { title: { text: "请在上方选择企业", left: "center", top: "middle",
                                  textStyle: { color: "#5f6b7a" } }, series: [] });
    }
    var series = [
      { name: "本年累计营业收入", type: "line", data: firm.points, symbolSize: 8, itemStyle: { color: BLUE },
        label: { show: true, position: "top", formatter: function (p) { return Math.round(p.value[1]); } } },
      { name: "2000万元", type: "line", data: [[1, d.threshold], [12, d.threshold]], symbol: "none",
        lineStyle: { type: "dashed", color: RED, width: 2 }, itemStyle: { color: RED } }
    ];
    var legend = ["本年累计营业收入", "2000万元"];
    var top = d.threshold;
    firm.points.forEach(function (p) { top = Math.max(top, p[1]); });
    if (firm.forecast) {
      var f = firm.forecast, last = firm.points.length ? firm.points[firm.points.length - 1] : null;
      series.push({ name: "预测区间（12月）", type: "line", data: [[12, f.low], [12, f.high]], symbol: "rect",
                    symbolSize: [14, 3], lineStyle: { width: 10, color: LIGHT, opacity: 0.8 },
                    itemStyle: { color: LIGHT } });
      series.push({ name: "预测（12月）", type: "line", data: last ? [last, [12, f.point]] : [[12, f.point]],
                    symbolSize: 9, symbol: "diamond", lineStyle: { type: "dotted", color: ORANGE },
                    itemStyle: { color: ORANGE } });
      legend.push("预测（12月）", "预测区间（12月）");
      top = Math.max(top, f.high);
    }
    var said = document.getElementById("firm-forecast");
    if (said) {
      said.textContent = firm.forecast ? firm.forecast.text
        : "未作预测：该企业已不在本" + d.unit + "最近一期的培育库中，或本年没有营业收入。";
    }
    box.dataset.firm = uscc;
    box.dataset.points = String(firm.points.length);
    box.dataset.forecast = firm.forecast ? "1" : "0";
    return draw(box, {
      animation: false,
      title: { text: firm.name + "（" + firm.county + "）", left: "center", top: 0, textStyle: { fontSize: 15 },
               subtext: firm.flags.length ? "需处理：" + firm.flags.join("；") : "",
               subtextStyle: { color: "#9c5700", fontSize: 13 } },
      grid: { left: 64, right: 32, top: firm.flags.length ? 84 : 64, bottom: 40 },
      legend: { data: legend, top: firm.flags.length ? 48 : 26 },
      tooltip: { trigger: "item", formatter: function (p) {
        return p.seriesName + "<br>" + monthLabel(p.value[0]) + "：" + wan(p.value[1]);
      } },
      xAxis: { type: "value", min: 1, max: 12, interval: 1, axisLabel: { formatter: monthLabel } },
      yAxis: { type: "value", name: "万元", min: 0, max: Math.ceil(top * 1.15 / 500) * 500 },
      series: series
    });
  }

  /* 预测: per county the entries so far and the expected 新增 at year end with its range, against the target */
  function band(box) {
    var d = JSON.parse(box.dataset.chart);
    var span = d.high.map(function (h, i) { return h === null || d.low[i] === null ? null : h - d.low[i]; });
    return draw(box, {
      animation: false,
      grid: { left: 48, right: 24, top: 40, bottom: 56 },
      tooltip: { trigger: "axis", formatter: function (items) {
        var i = items[0].dataIndex;
        return [d.counties[i], "已入库：" + d.so_far[i] + " 家",
                "预计年末新增：" + d.point[i] + " 家（" + d.low[i] + "～" + d.high[i] + "）",
                "年度目标：" + (d.target[i] === null ? "—" : d.target[i] + " 家")].join("<br>");
      } },
      legend: { data: ["已入库", "预计年末新增", "预测区间", "年度目标"], top: 0 },
      xAxis: { type: "category", data: d.counties, axisLabel: { interval: 0, rotate: d.counties.length > 8 ? 30 : 0 } },
      yAxis: { type: "value", name: "家", minInterval: 1 },
      series: [
        { name: "已入库", type: "bar", data: d.so_far, barMaxWidth: 30, barGap: "-100%", itemStyle: { color: BLUE } },
        { name: "区间下限", type: "bar", stack: "range", data: d.low, barMaxWidth: 12, itemStyle: { color: "transparent" },
          tooltip: { show: false }, silent: true },
        { name: "预测区间", type: "bar", stack: "range", data: span, barMaxWidth: 12, itemStyle: { color: LIGHT } },
        { name: "预计年末新增", type: "scatter", data: d.point, symbol: "diamond", symbolSize: 12,
          itemStyle: { color: ORANGE }, z: 6 },
        { name: "年度目标", type: "scatter", data: d.target, symbol: "rect", symbolSize: [34, 3],
          itemStyle: { color: RED }, z: 5 }
      ]
    });
  }

  function pickFirm(line, uscc) {
    var input = document.querySelector('#firm-form input[name="firm"]');
    var firm = (line._data || JSON.parse(line.dataset.chart)).firms[uscc];
    if (input && firm) { input.value = firm.name + "（" + firm.uscc + "）"; }
    document.querySelectorAll("#pool tr[data-uscc]").forEach(function (row) {
      row.classList.toggle("chosen", row.dataset.uscc === uscc);
    });
    firmLine(line, uscc);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var boxes = ["funnel", "firm-line", "band"].map(function (id) { return document.getElementById(id); });
    if (!window.echarts) {
      boxes.forEach(function (box) { if (box) { box.textContent = "图表组件未能加载，请看下表。"; } });
      return;
    }
    var drawn = [];
    if (boxes[0]) { drawn.push(funnel(boxes[0])); }
    if (boxes[2]) { drawn.push(band(boxes[2])); }
    var line = boxes[1];
    if (line) {
      var first = JSON.parse(line.dataset.chart).chosen;
      pickFirm(line, first);
      drawn.push(window.echarts.getInstanceByDom(line));
      document.querySelectorAll("#pool tbody tr[data-uscc]").forEach(function (row) {
        row.addEventListener("click", function (event) {
          if (!line._data.firms[row.dataset.uscc]) { return; }  /* no line for it: the link reloads and says so */
          event.preventDefault();
          pickFirm(line, row.dataset.uscc);
          document.getElementById("firm-card").scrollIntoView({ behavior: "auto", block: "start" });
        });
      });
    }
    window.addEventListener("resize", function () { drawn.forEach(function (chart) { chart.resize(); }); });
  });
})();
