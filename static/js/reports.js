// Community at a glance: draw each figure's chart from the data the page carries in
// <script id="report-charts" type="application/json"> (the table beside each chart has the same numbers).
(function () {
  var source = document.getElementById("report-charts");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var charts = JSON.parse(source.textContent);
  // The site's blue and gold, then colours that stay apart for people with a colour-vision deficiency.
  var colours = ["#1f4e79", "#f2a900", "#2a9d8f", "#b5446e", "#6c757d"];
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = charts[canvas.dataset.chart];
    if (!spec) {
      return;
    }
    var horizontal = spec.type === "hbar";
    var box = canvas.parentElement;
    if (horizontal) {
      // One band per row, so that long tables keep readable bars (set through the CSSOM, which the CSP allows).
      box.style.height = Math.max(160, 60 + spec.labels.length * 28 * Math.max(1, spec.series.length / 1.5)) + "px";
    }
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (series, index) {
          return {
            label: series.label,
            data: series.data,
            backgroundColor: colours[index % colours.length],
            borderColor: colours[index % colours.length],
          };
        }),
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: still ? false : { duration: 300 },
        plugins: { legend: { display: spec.series.length > 1, position: "bottom" } },
        scales: {
          x: horizontal ? { beginAtZero: true, ticks: { precision: 0 } } : {},
          y: horizontal ? {} : { beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  });
})();
