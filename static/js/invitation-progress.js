// Invitation progress: ask for the counts every two seconds and show them; once the list is
// done, reload so the page shows the outcome and any rows that were not invited.
(function () {
  "use strict";
  var box = document.getElementById("invitation-progress");
  if (!box || !box.dataset.poll) return;
  var bar = document.getElementById("invitation-bar");
  function poll() {
    fetch(box.dataset.poll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (progress) {
        if (!progress) return setTimeout(poll, 5000);
        if (progress.finished) return window.location.reload();
        if (bar) { bar.value = progress.processed; bar.textContent = progress.processed + " of " + progress.total; }
        ["invited", "skipped", "failed"].forEach(function (key) {
          var cell = box.querySelector('[data-count="' + key + '"]');
          if (cell && cell.textContent !== String(progress[key])) cell.textContent = progress[key];
        });
        setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
