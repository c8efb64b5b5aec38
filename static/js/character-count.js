// A visible character counter under every text field with a length limit. The browser's own
// maxlength would silently cut what is pasted, so it is replaced by a count: people see how far over
// they are, and the server refuses the text with a message naming the limit, keeping what they typed.
(function () {
  "use strict";
  var SKIP = /^(username|email|current-password|new-password|one-time-code)$/;
  var fields = document.querySelectorAll("textarea[maxlength], input[maxlength]");
  var number = new Intl.NumberFormat("en-US");

  function message(limit, length) {
    var left = limit - length;
    if (left >= 0) {
      return "You have " + number.format(left) + " character" + (left === 1 ? "" : "s") + " left, of " + number.format(limit);
    }
    var over = -left;
    return "You have " + number.format(over) + " character" + (over === 1 ? "" : "s") + " too many (the limit is " + number.format(limit) + ")";
  }

  fields.forEach(function (field) {
    if (field.type && !/^(text|url|tel|textarea)$/.test(field.type)) return;
    if (SKIP.test(field.getAttribute("autocomplete") || "")) return;
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    if (!(limit > 0)) return;
    field.removeAttribute("maxlength");
    field.dataset.maxlength = limit;

    var visible = document.createElement("span");
    visible.className = "char-count";
    visible.id = field.id + "-count";
    // Screen readers hear the count once typing pauses, not at every key.
    var spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", visible);
    visible.insertAdjacentElement("afterend", spoken);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + visible.id);

    var timer;
    function update(announce) {
      // Counted as the server counts: without the spaces around the text, which it drops.
      var length = field.value.trim().length;
      var text = message(limit, length);
      visible.textContent = text;
      visible.classList.toggle("char-count-over", length > limit);
      if (announce) {
        clearTimeout(timer);
        timer = setTimeout(function () { spoken.textContent = text; }, 800);
      }
    }
    field.addEventListener("input", function () { update(true); });
    update(false);
    // Scripts later in the page (a restored draft) may fill the field in without an input event.
    document.addEventListener("DOMContentLoaded", function () { update(false); });
  });
})();
