/* The workbench's own script (no build step): the inbox's drop zone and the chart of the 汇总 page.
   Pages work without it: the forms post as usual. */
(function () {
  "use strict";
  function csrf() { var m = document.querySelector('meta[name="csrf-token"]'); return m ? m.content : ""; }

  /* 收件箱: each dropped or chosen file is sent on its own, in order, and its findings shown as it comes back */
  function setUpDrop(form) {
    var out = document.getElementById("taken");
    var input = form.querySelector('input[type="file"]');
    var queue = Promise.resolve();
    var maxMb = Number(form.dataset.maxMb || 0);
    function tooLarge(size) {
      return "文件" + (size ? "有 " + (size / 1048576).toFixed(1) + " MB，" : "") + "超过 " + maxMb +
        " MB 的上限，重试也无法放入。县市区报表一般不到 5 MB：请确认选的是报表文件，或请县市区删去多余的工作表、图片后重新发送";
    }
    function send(file) {
      var row = document.createElement("article");
      row.className = "taken sending";
      row.textContent = "正在放入收件箱并校验：" + file.name + " ……";
      out.prepend(row);
      if (maxMb && file.size > maxMb * 1048576) {  /* said at once: sending it would only be refused */
        return Promise.resolve().then(function () { fail(row, file, tooLarge(file.size), true); });
      }
      var data = new FormData();
      data.append("workbook", file, file.name);
      data.append("modified", String(file.lastModified || ""));
      return fetch(form.dataset.fragmentUrl, { method: "POST", body: data, credentials: "same-origin",
                                               headers: { "X-CSRF-Token": csrf(), "X-Fragment": "1" } })
        .then(function (answer) {
          if (answer.status === 413) { var big = new Error(tooLarge(file.size)); big.final = true; throw big; }
          return answer.text().then(function (html) {
            if (answer.headers.get("Content-Type").indexOf("text/html") !== 0) { throw new Error("服务器未正常回答"); }
            var holder = document.createElement("div");
            holder.innerHTML = html;
            var part = holder.querySelector("article.taken") ? holder.querySelectorAll("article.taken") : null;
            if (!part || holder.querySelector("main")) {  /* a whole error page: keep its message only */
              var message = holder.querySelector(".problem p, main p");
              throw new Error(message ? message.textContent : "服务器未正常回答");
            }
            row.replaceWith.apply(row, Array.prototype.slice.call(part));
          });
        })
        .catch(function (error) { fail(row, file, error.message, error.final); });
    }
    function fail(row, file, message, final) {
      row.className = "taken";
      row.innerHTML = "";
      var title = document.createElement("h3"); title.textContent = file.name;
      var p = document.createElement("p"); p.className = "problem"; p.setAttribute("role", "alert");
      p.textContent = "未能放入收件箱：" + message + (final ? "。" : "。请刷新页面后重试。");
      row.append(title, p);
    }
    function take(files) {
      Array.prototype.forEach.call(files, function (file) { queue = queue.then(function () { return send(file); }); });
      queue = queue.then(function () {
        /* the consolidation to go to is that of the files just dropped (the last one that says its period) */
        var said = out.querySelector("article.taken[data-period]");
        var go = document.getElementById("go-consolidate");
        if (said && go) {
          go.href = go.dataset.href + "?period=" + encodeURIComponent(said.dataset.period);
          go.textContent = "去汇总 " + said.dataset.period;
          go.parentElement.hidden = false;
        }
        document.dispatchEvent(new CustomEvent("inbox:done"));
      });
    }
    ["dragenter", "dragover"].forEach(function (name) {
      form.addEventListener(name, function (event) { event.preventDefault(); form.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      form.addEventListener(name, function () { form.classList.remove("over"); });
    });
    form.addEventListener("drop", function (event) { event.preventDefault(); take(event.dataTransfer.files); });
    input.addEventListener("change", function () { take(input.files); input.value = ""; });
    form.addEventListener("submit", function (event) { event.preventDefault(); take(input.files); });
  }

  /* 汇总: completion rate by county as bars, the time progress as a line across them */
  function setUpChart(box) {
    if (!window.echarts) { box.textContent = "图表组件未能加载，请看下表。"; return; }
    var data = JSON.parse(box.dataset.chart);
    var chart = window.echarts.init(box, null, { locale: "ZH", renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 24, top: 36, bottom: 56 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "无数据" : v + "%"; } },
      legend: { data: ["新增目标完成率", "时序进度"], top: 0 },
      xAxis: { type: "category", data: data.counties, axisLabel: { interval: 0, rotate: data.counties.length > 8 ? 30 : 0 } },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: [
        { name: "新增目标完成率", type: "bar", data: data.completion, barMaxWidth: 36,
          itemStyle: { color: function (p) { return p.value !== null && p.value < data.progress ? "#c0504d" : "#1f4e79"; } },
          label: { show: true, position: "top", formatter: function (p) { return p.value === null ? "" : p.value + "%"; } } },
        { name: "时序进度", type: "line", data: data.counties.map(function () { return data.progress; }),
          symbol: "none", lineStyle: { type: "dashed", color: "#e07b00", width: 2 }, itemStyle: { color: "#e07b00" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    box.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var drop = document.getElementById("drop");
    if (drop) { setUpDrop(drop); }
    var chart = document.getElementById("chart");
    if (chart) { setUpChart(chart); }
    // choosers that show another period at once (no inline handlers: the Content-Security-Policy forbids them)
    document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
