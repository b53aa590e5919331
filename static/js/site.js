// Confirm destructive actions: any form or button with data-confirm asks first.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var submitter = event.submitter;
  var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Sign-up: tell the server the browser's time zone, so times show in the newcomer's zone.
document.querySelectorAll("input[data-time-zone]").forEach(function (input) {
  try {
    input.value = input.value || Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    // An old browser: the account keeps the default zone, which the profile page can change.
  }
});
