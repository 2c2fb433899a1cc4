// The running total of the weights editor: each fieldset's weights summed as they are typed
// (a comma works as the decimal mark). The server checks the totals again when saved.
(function () {
  "use strict";
  function parse(text) {
    var cleaned = String(text || "").replace(/[%\s\u00a0]/g, "").replace(",", ".");
    if (!/^[+-]?[0-9]+(\.[0-9]+)?$/.test(cleaned)) return 0;
    return Math.round(parseFloat(cleaned) * 100);
  }
  function format(hundredths) {
    var whole = Math.trunc(hundredths / 100);
    var rest = Math.abs(hundredths % 100);
    if (rest === 0) return String(whole);
    var decimals = String(rest).padStart(2, "0").replace(/0$/, "");
    return (hundredths < 0 && whole === 0 ? "-" : "") + whole + "," + decimals;
  }
  function update(form, group) {
    var sum = 0;
    form.querySelectorAll('input[data-weight-group="' + group + '"]').forEach(function (input) {
      sum += parse(input.value);
    });
    var total = form.querySelector('[data-total-for="' + group + '"]');
    if (!total) return;
    total.querySelector("[data-total]").textContent = format(sum);
    total.classList.toggle("app-weights__total--off", sum !== 10000);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-weights]").forEach(function (form) {
      form.addEventListener("input", function (event) {
        var group = event.target.getAttribute("data-weight-group");
        if (group !== null) update(form, group);
      });
      form.querySelectorAll("[data-total-for]").forEach(function (total) {
        update(form, total.getAttribute("data-total-for"));
      });
    });
  });
})();
