// Show the mismatch warning for the role picked on the recommendation step, before saving.
(function () {
  const radios = document.querySelectorAll("[data-role-choice]");
  const warnings = document.querySelectorAll(".choice-warning");
  function update() {
    const picked = document.querySelector("[data-role-choice]:checked");
    const slug = picked ? picked.dataset.roleChoice : "";
    warnings.forEach((w) => { w.hidden = w.dataset.role !== slug; });
  }
  radios.forEach((r) => r.addEventListener("change", update));
  if (radios.length) update();
})();
