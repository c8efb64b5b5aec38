// The error summary at the top of a form: focused when the page loads, so a screen reader reads the
// problems first and a keyboard user starts there; each link puts the focus in its field with the
// field's label (or its group's legend) in view.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  document.querySelectorAll("[autofocus]").forEach(function (el) { el.removeAttribute("autofocus"); });
  summary.focus();

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) return;
    event.preventDefault();
    var fieldset = input.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    var label = document.querySelector("label[for='" + input.id + "']");
    var caption = (legend && input.type && /radio|checkbox/.test(input.type)) ? legend : (label || legend || input);
    caption.scrollIntoView();
    input.focus({ preventScroll: true });
  });
})();
