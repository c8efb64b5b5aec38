// "Show table" under each chart: the table is folded visually but stays readable by screen readers.
document.querySelectorAll(".table-toggle").forEach((button) => {
  const table = document.getElementById(button.getAttribute("aria-controls"));
  const label = button.firstChild;
  table.classList.add("folded");
  button.hidden = false;
  button.addEventListener("click", () => {
    const open = table.classList.toggle("folded") === false;
    button.setAttribute("aria-expanded", String(open));
    label.textContent = open ? "Hide table" : "Show table";
  });
});
