// Expertise input: suggest existing areas for the word being typed after a comma, keeping
// the ones already typed (a plain datalist would replace the whole value).
(function () {
  document.querySelectorAll("input[data-tag-input][list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var names = Array.prototype.map.call(list.options, function (o) { return o.value; });
    input.addEventListener("input", function () {
      var value = input.value;
      var cut = value.lastIndexOf(",");
      var prefix = cut >= 0 ? value.slice(0, cut + 1).trim() + " " : "";
      var typed = (cut >= 0 ? value.slice(cut + 1) : value).trim().toLowerCase();
      var chosen = prefix.toLowerCase();
      list.innerHTML = "";
      names.forEach(function (name) {
        if (chosen.indexOf(name.toLowerCase()) !== -1) { return; }
        if (typed && name.toLowerCase().indexOf(typed) === -1) { return; }
        var option = document.createElement("option");
        option.value = prefix + name;
        list.appendChild(option);
      });
    });
  });
})();
