// A correction reason is asked for as soon as a computed figure is changed.
document.querySelectorAll("[data-computed]").forEach(function (input) {
  var box = document.querySelector('[data-reason-for="' + input.name + '"]');
  if (!box) return;
  function sync() {
    box.classList.toggle("d-none", String(input.value) === String(input.dataset.computed));
  }
  input.addEventListener("input", sync);
  sync();
});
