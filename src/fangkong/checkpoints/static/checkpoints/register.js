// The registration and pre-fill pages: add and remove persons with one tap, the temperature
// keypad, picking a destination, and filling what the server recognised (plate region, a
// known person's name). The form works without it, one person at a time.
(function () {
  "use strict";
  var list = document.getElementById("fk-occupants");
  var template = document.getElementById("fk-occupant-template");
  if (!list || !template) return;

  function renumber() {
    var cards = list.querySelectorAll(".fk-occupant");
    cards.forEach(function (card, n) {
      card.querySelector(".fk-occupant-number").textContent = n + 1;
      card.querySelector(".fk-remove").classList.toggle("d-none", cards.length === 1);
    });
  }

  function addOccupant() {
    var index = parseInt(list.dataset.next || "1", 10);
    list.dataset.next = index + 1;
    var html = template.innerHTML.replace(/__i__/g, String(index));
    list.insertAdjacentHTML("beforeend", html);
    var card = list.lastElementChild;
    if (window.htmx) window.htmx.process(card);
    // A passenger usually comes from where the driver does.
    var first = list.querySelector("[data-field=origin]");
    var origin = card.querySelector("[data-field=origin]");
    if (first && origin && !origin.value) origin.value = first.value;
    renumber();
    card.querySelector("[data-field=id_number]").focus();
  }

  var add = document.getElementById("fk-add-occupant");
  if (add) add.addEventListener("click", addOccupant);

  function input(card, field) {
    return card.querySelector("[data-field=" + field + "]");
  }

  function markFever(card) {
    var temp = input(card, "temperature");
    if (!temp) return;
    var value = parseFloat(temp.value);
    var fever = !isNaN(value) && value >= parseFloat(temp.dataset.fever);
    temp.classList.toggle("fk-fever", fever);
    if (fever) {
      var radio = card.querySelector("[data-outcome=fever_referral]");
      if (radio) radio.checked = true;
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target) return;
    var card = target.closest(".fk-occupant");
    if (target.classList.contains("fk-remove") && card) {
      card.remove();
      renumber();
    } else if (target.dataset.key && card) {
      var temp = input(card, "temperature");
      var key = target.dataset.key;
      if (key === "back") temp.value = temp.value.slice(0, -1);
      else if (key.length > 1) temp.value = key;
      else if (temp.value.length < 4) temp.value += key;
      markFever(card);
    } else if (target.classList.contains("fk-destination-option") && card) {
      input(card, "destination_area").value = target.dataset.code;
      input(card, "destination_area_name").value = target.dataset.name;
      input(card, "destination_address").value = "";
      card.querySelector("[data-chosen-name]").textContent = target.dataset.name;
      card.querySelector(".fk-destination-chosen").classList.remove("d-none");
      card.querySelector(".fk-destination-pick").classList.add("d-none");
    } else if (target.classList.contains("fk-destination-clear") && card) {
      input(card, "destination_area").value = "";
      input(card, "destination_area_name").value = "";
      card.querySelector(".fk-destination-chosen").classList.add("d-none");
      card.querySelector(".fk-destination-pick").classList.remove("d-none");
    }
  });

  document.addEventListener("input", function (event) {
    var card = event.target.closest(".fk-occupant");
    if (card && event.target.dataset.field === "temperature") markFever(card);
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    var known = event.detail.target.querySelector("[data-known-name]");
    if (known) {
      var card = event.detail.target.closest(".fk-occupant");
      var name = card && input(card, "name");
      if (name && !name.value) name.value = known.dataset.knownName;
    }
    var region = event.detail.target.querySelector("[data-plate-region]");
    if (region) {
      list.querySelectorAll("[data-field=origin]").forEach(function (origin) {
        if (!origin.value) origin.value = region.dataset.plateRegion;
      });
    }
  });

  renumber();
})();
