/* The donation form's goods lines: "add a line" copies the formset's empty form, so a donor
   with many kinds of goods is entered in one go (no build step, no library). */
(function () {
  "use strict";
  var button = document.querySelector("[data-add-line]");
  if (!button) { return; }
  var template = document.getElementById("line-template");
  var total = document.getElementById("id_lines-TOTAL_FORMS");
  var list = document.querySelector("[data-lines]");
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    row.setAttribute("data-line", String(index + 1));
    list.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("select, input");
    if (first) { first.focus(); }
  });
})();
