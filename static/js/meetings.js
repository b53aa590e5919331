// Copy buttons: <button data-copy-target="input-id"> copies that input's value.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-target]");
  if (!button) {
    return;
  }
  var input = document.getElementById(button.dataset.copyTarget);
  if (!input) {
    return;
  }
  input.select();
  if (navigator.clipboard) {
    navigator.clipboard.writeText(input.value);
  } else {
    document.execCommand("copy");
  }
});
