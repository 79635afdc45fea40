// Keep the reader on the same page when switching language. Both languages have the
// same page paths: /<path> in Chinese is /en/<path> in English.
(function () {
  function siteRoot() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  function pointAtThisPage() {
    var root = siteRoot();
    var page = location.pathname.slice(root.pathname.length);
    document.querySelectorAll("a.md-select__link[hreflang]").forEach(function (link) {
      var otherRoot = new URL(link.getAttribute("href"), location.href);
      link.href = new URL(page, otherRoot).href + location.hash;
      // Material would send the reader to the other language's home page instead.
      link.addEventListener("click", function (event) { event.stopPropagation(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", pointAtThisPage);
  } else {
    pointAtThisPage();
  }
  window.addEventListener("hashchange", pointAtThisPage);
})();
