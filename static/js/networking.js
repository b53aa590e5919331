// Speed networking: the round countdown and the full-screen button.
//
// The server renders how many seconds are left ("data-remaining") and whether the clock
// is paused; htmx refreshes that fragment every few seconds, so every screen follows the
// facilitator's controls. Between refreshes the countdown runs from the moment the
// fragment arrived, which keeps screens in step whatever their own clock says.
(function () {
  "use strict";

  function format(seconds) {
    var s = Math.max(0, Math.round(seconds));
    var minutes = Math.floor(s / 60);
    var rest = s % 60;
    return (minutes < 10 ? "0" : "") + minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (element) {
      if (!element.dataset.receivedAt) {
        element.dataset.receivedAt = String(now);
      }
      var remaining = parseFloat(element.dataset.remaining || "0");
      if (element.dataset.paused !== "1") {
        remaining -= (now - parseFloat(element.dataset.receivedAt)) / 1000;
      }
      var text = format(remaining);
      if (element.textContent !== text) {
        element.textContent = text;
      }
      element.classList.toggle("is-ending", remaining > 0 && remaining <= 30);
      element.classList.toggle("is-over", remaining <= 0);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fullscreen]");
    if (!button) {
      return;
    }
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen();
    }
  });

  tick();
  window.setInterval(tick, 250);
})();
