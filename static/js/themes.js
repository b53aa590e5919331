// Proposing a theme: the "what would you share" line only matters for a proposer who can present.
(function () {
  var box = document.getElementById("id_can_present");
  var pitch = document.getElementById("div_id_pitch");
  if (!box || !pitch) {
    return;
  }
  function sync() {
    pitch.hidden = !box.checked;
  }
  box.addEventListener("change", sync);
  sync();
})();
