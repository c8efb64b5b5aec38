// "Copy" buttons: <button data-copy="#field-id"> copies the field's text and says so in the nearest [data-copy-status].
(function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      const field = document.querySelector(button.dataset.copy);
      const status = button.parentElement.querySelector("[data-copy-status]");
      if (!field) return;
      const say = function (text) { if (status) status.textContent = text; };
      const fallback = function () {
        field.focus();
        field.select();
        say(document.execCommand && document.execCommand("copy") ? "Copied." : "Selected: press Ctrl+C (or ⌘C) to copy.");
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { say("Copied."); }, fallback);
      } else {
        fallback();
      }
    });
  });
})();
