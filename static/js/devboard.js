// Behaviour every page shares. The Content-Security-Policy refuses inline scripts, onclick=""
// and style="" attributes: behaviour lives in static/js and is wired up here by data attributes.
(function () {
  // <button data-print>: print the page.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });

  // Signing out forgets every unsaved draft kept in this tab (static/js/keep-draft.js), so the
  // next person at a shared workstation finds nothing of yours.
  document.querySelectorAll("form[data-sign-out]").forEach((form) => {
    form.addEventListener("submit", () => {
      const keys = [];
      for (let i = 0; i < sessionStorage.length; i++) {
        const key = sessionStorage.key(i);
        if (key && key.startsWith("devboard-draft:")) keys.push(key);
      }
      keys.forEach((key) => sessionStorage.removeItem(key));
    });
  });
})();
