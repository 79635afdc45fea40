// Accessible names that Material's markup leaves out (found by Lighthouse / axe).
(function () {
  function name() {
    // The search overlay is a role="dialog" without a name: give it its input's label
    // ("搜索" / "Search"), so screen readers announce what opened.
    var dialog = document.querySelector('.md-search[role="dialog"]');
    var input = document.querySelector(".md-search__input");
    if (dialog && input && !dialog.hasAttribute("aria-label")) {
      dialog.setAttribute("aria-label", input.getAttribute("aria-label") || input.placeholder);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", name);
  } else {
    name();
  }
})();
