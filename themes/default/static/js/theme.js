// The light/dark toggle. Without a stored choice the page follows the system setting
// (CSS color-scheme); a click pins the other scheme and remembers it.
(function () {
  "use strict";
  var root = document.documentElement;
  var button = document.getElementById("theme-toggle");
  if (!button) return;
  var system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function isDark() {
    if (root.dataset.theme) return root.dataset.theme === "dark";
    return !!(system && system.matches);
  }
  function show() {
    button.setAttribute("aria-pressed", isDark() ? "true" : "false");
  }
  button.hidden = false;
  show();
  if (system && system.addEventListener) system.addEventListener("change", show);
  button.addEventListener("click", function () {
    var next = isDark() ? "light" : "dark";
    root.dataset.theme = next;
    try { localStorage.setItem("cx-theme", next); } catch (e) { /* private mode */ }
    show();
  });
})();
