// Keep what is typed in a form marked data-keep-draft in this tab's sessionStorage until it
// is saved, so a reload, a stray click or an expired sign-in does not lose it. sessionStorage
// (not localStorage) so nothing stays behind on a shared workstation once the tab is closed.
// Each key carries the object's last-saved version or time: once saved, the old draft no
// longer matches and is never restored over newer text.
(function () {
  const form = document.querySelector("form[data-keep-draft]");
  if (!form) return;
  const key = "devboard-draft:" + form.dataset.keepDraft;
  (form.dataset.clears || "").split(" ").filter(Boolean).forEach((k) => sessionStorage.removeItem("devboard-draft:" + k));
  const fields = form.querySelectorAll("textarea, input[type=text], input[type=email], input[type=date]");
  let stored = {};
  try { stored = JSON.parse(sessionStorage.getItem(key) || "{}"); } catch (e) { stored = {}; }
  let restored = false;
  if (!form.dataset.bound) {
    fields.forEach((field) => {
      if (stored[field.name] !== undefined && stored[field.name] !== field.value) {
        field.value = stored[field.name];
        restored = true;
      }
    });
  }
  const note = document.getElementById("draft-restored");
  if (restored && note) note.hidden = false;
  let dirty = restored;
  form.addEventListener("input", () => {
    const values = {};
    fields.forEach((field) => { values[field.name] = field.value; });
    sessionStorage.setItem(key, JSON.stringify(values));
    dirty = true;
  });
  form.addEventListener("submit", () => { dirty = false; });
  form.querySelectorAll("[data-discard-draft]").forEach((link) => link.addEventListener("click", () => {
    sessionStorage.removeItem(key);
    dirty = false;
  }));
  if (form.dataset.warnUnsaved !== undefined) {
    window.addEventListener("beforeunload", (event) => {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }
})();
