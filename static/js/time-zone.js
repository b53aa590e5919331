// Time-zone choices: the zone of this browser offered first, in a group of its own, and chosen
// for a member who has not chosen a zone yet (the select says so with data-browser-zone-preselect).
// Browsers may name a zone by an older alias (Asia/Calcutta for Asia/Kolkata): each choice is
// then compared under the browser's own name for it.
(function () {
  "use strict";

  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return; // an old browser: the list stays as it is
  }
  if (!zone) {
    return;
  }

  function browserName(value) {
    try {
      return new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
    } catch (error) {
      return "";
    }
  }

  function find(select) {
    var options = Array.prototype.slice.call(select.options);
    var exact = options.filter(function (option) {
      return option.value === zone;
    });
    if (exact.length) {
      return exact[0];
    }
    return options.filter(function (option) {
      return browserName(option.value) === zone;
    })[0];
  }

  document.querySelectorAll("select[data-browser-zone]").forEach(function (select) {
    var match = find(select);
    if (!match) {
      return;
    }
    var group = document.createElement("optgroup");
    group.label = select.dataset.browserZone;
    var region = match.parentElement && match.parentElement.label;
    var suggestion = new Option(region ? region + " – " + match.text : match.text, match.value);
    group.appendChild(suggestion);
    select.insertBefore(group, select.firstChild);
    if (select.hasAttribute("data-browser-zone-preselect")) {
      suggestion.selected = true;
      var note = document.getElementById(select.id + "-browser-note");
      if (note) {
        note.hidden = false;
        var described = select.getAttribute("aria-describedby");
        select.setAttribute("aria-describedby", described ? described + " " + note.id : note.id);
      }
    }
  });
})();
