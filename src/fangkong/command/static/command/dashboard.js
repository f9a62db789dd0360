/* The command dashboard: loads the figures from the data endpoint, draws them with ECharts
   (vendored) and reloads them every data-refresh seconds without reloading the page. */
(function () {
  "use strict";
  var wall = document.getElementById("wall");
  var labels = JSON.parse(document.getElementById("wall-labels").textContent);
  var charts = {};
  var AXIS = { axisLabel: { color: "#c9d8f5", fontSize: 16 }, axisLine: { lineStyle: { color: "#35558f" } },
               splitLine: { lineStyle: { color: "rgba(53,85,143,.35)" } } };
  var COLORS = ["#36d1ff", "#3ddc97", "#ffc53d", "#ff5b5b", "#a97bff", "#ff8f3d", "#5b8cff", "#e0e060"];

  function chart(id) {
    if (!charts[id]) { charts[id] = echarts.init(document.getElementById(id), null, { renderer: "canvas" }); }
    return charts[id];
  }
  function get(data, path) {
    return path.split(".").reduce(function (o, k) { return o == null ? undefined : o[k]; }, data);
  }
  function fmt(value) {
    if (typeof value === "number") { return value.toLocaleString("zh-CN"); }
    return value == null ? "—" : String(value);
  }
  function percent(value) {
    // completeness and timeliness: a ratio (0–1) as the reporting selectors give it.
    value = value || 0;
    return Math.round((value <= 1 ? value * 100 : value) * 10) / 10;
  }
  function yuan(text) {
    // Money comes as exact decimal text; the wall shows it in 万元 as briefings do.
    var value = parseFloat(text || "0");
    if (value >= 10000) { return labels.wan_yuan.replace("%(n)s", (value / 10000).toFixed(2)); }
    return labels.yuan.replace("%(n)s", value.toLocaleString("zh-CN"));
  }
  function base(extra) {
    var option = { color: COLORS, textStyle: { fontSize: 16, color: "#e6f0ff" }, animationDuration: 600,
      tooltip: { trigger: "axis", textStyle: { fontSize: 18 } },
      legend: { top: 0, textStyle: { color: "#e6f0ff", fontSize: 16 } },
      grid: { left: 56, right: 24, top: 40, bottom: 36 } };
    Object.keys(extra).forEach(function (k) { option[k] = extra[k]; });
    return option;
  }
  function empty(id, isEmpty) {
    var panel = document.getElementById(id).parentNode;
    var note = panel.querySelector(".empty-note");
    if (isEmpty && !note) {
      note = document.createElement("div"); note.className = "empty-note"; note.textContent = labels.zero;
      panel.appendChild(note);
    } else if (!isEmpty && note) { note.remove(); }
  }

  function draw(data) {
    document.querySelectorAll("[data-bind]").forEach(function (el) {
      var value = get(data, el.getAttribute("data-bind"));
      if (el.getAttribute("data-bind") === "generated_at" && value) { value = value.slice(11, 16); }
      el.textContent = fmt(value);
    });
    var days = data.trend.map(function (d) { return d.date.slice(5); });
    function series(key, type) {
      return { name: labels[key], type: type || "line", smooth: true, symbolSize: 8, lineStyle: { width: 3 },
               data: data.trend.map(function (d) { return d[key]; }) };
    }
    chart("chart-trend").setOption(base({
      xAxis: Object.assign({ type: "category", data: days }, AXIS),
      yAxis: Object.assign({ type: "value", minInterval: 1 }, AXIS),
      series: [series("persons"), series("pushes"), series("key_persons_new"), series("released"),
               series("alerts"), series("fever")]
    }), true);

    var towns = data.by_town;
    chart("chart-town").setOption(base({
      grid: { left: 56, right: 24, top: 40, bottom: 70 },
      xAxis: Object.assign({ type: "category", data: towns.map(function (t) { return t.own ? labels.own : t.name; }) },
        AXIS, { axisLabel: { color: "#c9d8f5", fontSize: 15, interval: 0, rotate: towns.length > 8 ? 30 : 0 } }),
      yAxis: Object.assign({ type: "value", minInterval: 1 }, AXIS),
      series: ["managed", "pushes", "pushes_open", "missing_logs", "alerts_open"].map(function (key) {
        return { name: labels[key], type: "bar", barMaxWidth: 22, data: towns.map(function (t) { return t[key]; }) };
      })
    }), true);

    var categories = Object.keys(data.ledger.by_category);
    chart("chart-ledger").setOption(base({
      tooltip: { trigger: "item", textStyle: { fontSize: 18 } },
      legend: { show: false },
      series: [{ type: "pie", radius: ["38%", "68%"], center: ["50%", "55%"],
        label: { color: "#e6f0ff", fontSize: 16, formatter: "{b}\n{c}" },
        data: categories.map(function (name) { return { name: name, value: data.ledger.by_category[name] }; }) }]
    }), true);
    empty("chart-ledger", categories.length === 0);

    var points = data.checkpoints.slice(0, 10).reverse();
    var passedToday = points.some(function (p) { return p.today.vehicles || p.today.persons; });
    var span = passedToday ? "today" : "range";
    document.getElementById("checkpoints-title").textContent = passedToday ? labels.checkpoints_today
      : labels.checkpoints_range.replace("%(from)s", data.date_from.slice(5)).replace("%(to)s", data.date_to.slice(5));
    chart("chart-checkpoints").setOption(base({
      grid: { left: 210, right: 30, top: 40, bottom: 30 },
      xAxis: Object.assign({ type: "value", minInterval: 1 }, AXIS),
      yAxis: Object.assign({ type: "category", data: points.map(function (p) { return p.name; }) },
        AXIS, { axisLabel: { color: "#c9d8f5", fontSize: 15, width: 190, overflow: "truncate" } }),
      series: [["vehicles", "#36d1ff"], ["persons", "#3ddc97"], ["turned_back", "#ffc53d"], ["fever", "#ff5b5b"]].map(function (s) {
        return { name: labels[s[0]], type: "bar", barMaxWidth: 14, itemStyle: { color: s[1] },
                 data: points.map(function (p) { return p[span][s[0]]; }) };
      })
    }), true);
    empty("chart-checkpoints", points.length === 0);

    drawSupplies(data.supplies, data.donations);

    var reports = data.reports, na = document.getElementById("reports-na");
    var reportChart = document.getElementById("chart-reports");
    if (!reports.available) {
      na.hidden = false; reportChart.hidden = true;
    } else {
      na.hidden = true; reportChart.hidden = false;
      var byDay = reports.by_day || [];
      chart("chart-reports").setOption(base({
        xAxis: Object.assign({ type: "category", data: byDay.map(function (d) { return d.date.slice(5); }) }, AXIS),
        yAxis: Object.assign({ type: "value", max: 100, axisLabel: { color: "#c9d8f5", fontSize: 16, formatter: "{value}%" } }),
        series: [
          { name: labels.completeness, type: "line", smooth: true, lineStyle: { width: 3 }, areaStyle: { opacity: 0.15 },
            data: byDay.map(function (d) { return percent(d.completeness); }) },
          { name: labels.timeliness, type: "line", smooth: true, lineStyle: { width: 3 },
            data: byDay.map(function (d) { return percent(d.timeliness); }) }
        ]
      }), true);
    }
  }

  function drawSupplies(supplies, donations) {
    // The items that run out first (days of cover from the last 7 days' issues); without
    // any issues yet, the stock itself.
    document.getElementById("supplies-low").textContent = fmt(supplies.below_threshold.length);
    document.getElementById("supplies-money").textContent = yuan(donations.money_received_to_date);
    var list = document.getElementById("supplies-cover");
    var rows = supplies.lowest_cover.slice(0, 4);
    if (!rows.length) {
      supplies.on_hand.forEach(function (group) { rows = rows.concat(group.items); });
      rows = rows.slice(0, 4);
    }
    list.textContent = "";
    rows.forEach(function (row) {
      var li = document.createElement("li"), name = document.createElement("span");
      var value = document.createElement("b");
      name.textContent = row.item + " " + fmt(row.on_hand) + row.unit;
      if (row.days_of_cover == null) {
        value.textContent = labels.no_use;
      } else {
        value.textContent = labels.cover_days.replace("%(days)s", fmt(row.days_of_cover));
        if (row.days_of_cover < 7) { value.className = "short"; }
      }
      li.appendChild(name); li.appendChild(value); list.appendChild(li);
    });
    if (!rows.length) {
      var none = document.createElement("li"); none.className = "none"; none.textContent = labels.no_stock;
      list.appendChild(none);
    }
  }

  function load() {
    var status = document.getElementById("wall-status");
    var params = new URLSearchParams({ area: wall.dataset.area, from: wall.dataset.from, to: wall.dataset.to });
    fetch(wall.dataset.url + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (data) { draw(data); status.textContent = labels.live; status.classList.remove("error"); })
      .catch(function () { status.textContent = labels.offline; status.classList.add("error"); });
  }

  window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
  load();
  window.setInterval(load, (parseInt(wall.dataset.refresh, 10) || 60) * 1000);
})();
