// Speed networking: the round countdown, what screen readers are told, the projected screen's
// fit and its full-screen button.
//
// The server renders how many seconds are left ("data-remaining") and whether the clock
// is paused; htmx refreshes that fragment every few seconds, so every screen follows the
// facilitator's controls. Between refreshes the countdown runs from the moment the
// fragment arrived, which keeps screens in step whatever their own clock says.
(function () {
  "use strict";

  // --- What screen readers hear: a new round (or table), and "time is up", said once each.
  // The ticking countdown itself is a timer, which is never read out by itself.
  var announcer = document.querySelector("[data-networking-announcer]");
  var lastAnnounced = null;
  var running = {};
  var toldTimeUp = {};

  function say(text) {
    if (!announcer || !text) {
      return;
    }
    // Emptied first, so that the same words said twice are still heard twice.
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = text;
    }, 100);
  }

  function readBoard() {
    var source = document.querySelector("[data-announce]");
    var text = source ? source.dataset.announce : "";
    if (lastAnnounced === null) {
      lastAnnounced = text; // the page just opened: it is read as a page, not announced
      return;
    }
    if (text !== lastAnnounced) {
      lastAnnounced = text;
      say(text);
    }
  }

  // --- The countdown.
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
      var paused = element.dataset.paused === "1";
      var remaining = parseFloat(element.dataset.remaining || "0");
      if (!paused) {
        remaining -= (now - parseFloat(element.dataset.receivedAt)) / 1000;
      }
      var text = format(remaining);
      if (element.textContent !== text) {
        element.textContent = text;
      }
      element.classList.toggle("is-ending", remaining > 0 && remaining <= 30);
      element.classList.toggle("is-over", remaining <= 0);
      var key = element.dataset.roundKey || "";
      if (remaining > 0) {
        running[key] = true;
      } else if (running[key] && !toldTimeUp[key] && !paused) {
        toldTimeUp[key] = true;
        say(element.dataset.timeUp);
      }
    });
    document.querySelectorAll("[data-time-up-label]").forEach(function (label) {
      var countdown = label.parentElement.querySelector("[data-countdown]");
      label.hidden = !(countdown && countdown.classList.contains("is-over"));
    });
  }

  // --- The projected screen's tables: the number of columns and the size of the names that
  // give the largest names fitting what the window leaves (the server's column count without script).
  var fitted = {};

  function fits(box) {
    return box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1;
  }

  function largestFitting(box, low, high) {
    box.style.fontSize = low + "px";
    if (!fits(box)) {
      return 0;
    }
    while (high - low > 1) {
      var middle = Math.floor((low + high) / 2);
      box.style.fontSize = middle + "px";
      if (fits(box)) {
        low = middle;
      } else {
        high = middle;
      }
    }
    return low;
  }

  function apply(box, choice) {
    box.style.setProperty("--networking-columns", String(choice.columns));
    box.style.fontSize = choice.size + "px";
  }

  function fit() {
    document.querySelectorAll("[data-fit]").forEach(function (box) {
      box.style.fontSize = "";
      box.style.removeProperty("--networking-columns");
      if (getComputedStyle(box).overflowY !== "auto") {
        return; // a small or zoomed window: the page scrolls, the names keep their size
      }
      var signature = window.innerWidth + "x" + window.innerHeight + ":" + box.textContent;
      if (fitted[signature]) {
        apply(box, fitted[signature]);
        return;
      }
      var tables = box.children.length;
      var smallest = 14;
      var largest = Math.max(smallest, Math.round(window.innerHeight / 10));
      var best = null;
      for (var columns = 1; columns <= Math.min(6, tables); columns++) {
        box.style.setProperty("--networking-columns", String(columns));
        var size = largestFitting(box, smallest, largest);
        if (size && (!best || size > best.size)) {
          best = { columns: columns, size: size };
        }
      }
      best = best || { columns: Math.min(6, tables), size: smallest };
      apply(box, best);
      fitted[signature] = best;
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

  // Sized before the new board is painted, then told (htmx settles it a moment later).
  document.addEventListener("htmx:afterSwap", function () {
    fit();
    tick();
  });
  document.addEventListener("htmx:afterSettle", readBoard);
  window.addEventListener("resize", fit);

  fit();
  readBoard();
  tick();
  window.setInterval(tick, 250);
})();
