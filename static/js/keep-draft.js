// Keep what is typed in a worksheet step in this tab's sessionStorage until it is saved,
// so a reload, a stray click or an expired sign-in does not lose it. sessionStorage (not
// localStorage) so nothing stays behind on a shared workstation once the tab is closed.
// The key carries the worksheet's last-saved time: once the step is saved, the old draft
// no longer matches and is never restored over newer text.
(function () {
  const form = document.querySelector("form[data-keep-draft]");
  if (!form) return;
  const key = "devboard-draft:" + form.dataset.keepDraft;
  const fields = form.querySelectorAll("textarea, input[type=text], input[type=date]");
  let stored = {};
  try { stored = JSON.parse(sessionStorage.getItem(key) || "{}"); } catch (e) { stored = {}; }
  let restored = false;
  fields.forEach((field) => {
    if (stored[field.name] !== undefined && stored[field.name] !== field.value && !form.dataset.bound) {
      field.value = stored[field.name];
      restored = true;
    }
  });
  if (restored) {
    const note = document.getElementById("draft-restored");
    if (note) note.hidden = false;
  }
  let dirty = restored;
  form.addEventListener("input", () => {
    const values = {};
    fields.forEach((field) => { values[field.name] = field.value; });
    sessionStorage.setItem(key, JSON.stringify(values));
    dirty = true;
  });
  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  if (form.dataset.keepDraft !== "new") sessionStorage.removeItem("devboard-draft:new");
})();
