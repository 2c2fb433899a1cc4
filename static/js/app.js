/* Small enhancements; every page works without them.
   1. Focus the error summary when a form comes back with errors, so screen-reader and
      keyboard users land on the list of what to fix.
   2. A running total for the cost-sharing form (the server checks the real total). */
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-autofocus]");
    if (summary) summary.focus();
  }

  function parseShare(value) {
    var cleaned = String(value || "").replace(/[%\s]/g, "").replace(",", ".");
    if (cleaned === "") return 0;
    return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : NaN;
  }

  function updateTotal(form) {
    var output = form.querySelector("[data-share-total]");
    if (!output) return;
    var cents = 0;
    var valid = true;
    form.querySelectorAll("input[data-share]").forEach(function (input) {
      var share = parseShare(input.value);
      if (isNaN(share)) valid = false;
      else cents += Math.round(share * 100);
    });
    var lang = document.documentElement.lang || "nb";
    var text = valid
      ? (cents / 100).toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " %"
      : "–";
    output.textContent = text;
    output.toggleAttribute("data-off", !valid || cents !== 10000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
    document.querySelectorAll("form[data-cost-shares]").forEach(function (form) {
      form.addEventListener("input", function () { updateTotal(form); });
      updateTotal(form);
    });
  });
})();
