// The site's only script of its own. Every page works without it; with it:
// - the phone menu folds behind one button on a narrow screen (the CSS decides what is narrow);
// - a form that came back with errors moves the focus to its error summary;
// - a copy button (<button data-copy="input-id" data-copied="已复制" hidden>) appears and copies.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".menu-toggle");
  const menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (menu) {
    document.documentElement.classList.add("menu-folds");
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("is-open", open);
    });
  }

  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();

  if (navigator.clipboard) {
    for (const button of document.querySelectorAll("button[data-copy]")) {
      const field = document.getElementById(button.dataset.copy);
      if (!field) continue;
      const label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(field.value);
          button.textContent = button.dataset.copied || label;
        } catch {
          field.select();
        }
        setTimeout(() => { button.textContent = label; }, 3000);
      });
    }
  }
});
