/* softmax-lab course website: search over window.SOFTMAX_SEARCH (built by tools/build_site.py).
   No fetch(): the index is a script, so search works from file:// as well as from a server. */
(function () {
  var input = document.getElementById("site-search");
  var list = document.getElementById("site-search-results");
  if (!input || !list) return;
  var root = document.body.getAttribute("data-site-root") || "";
  function esc(s) { return s.replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]; }); }
  function search(q) {
    var terms = q.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
    if (!terms.length || !window.SOFTMAX_SEARCH) return [];
    var hits = [];
    window.SOFTMAX_SEARCH.forEach(function (e) {
      var title = e.t.toLowerCase(), text = e.x.toLowerCase(), score = 0;
      for (var i = 0; i < terms.length; i++) {
        var inTitle = title.indexOf(terms[i]) >= 0, at = text.indexOf(terms[i]);
        if (!inTitle && at < 0) return;
        score += (inTitle ? 10 : 0) + (at >= 0 ? 1 + text.split(terms[i]).length - 2 : 0);
      }
      hits.push({e: e, score: score});
    });
    hits.sort(function (a, b) { return b.score - a.score; });
    return hits.slice(0, 20);
  }
  function snippet(text, term) {
    var at = text.toLowerCase().indexOf(term);
    if (at < 0) return text.slice(0, 120);
    var start = Math.max(0, at - 50);
    return (start > 0 ? "…" : "") + text.slice(start, at + 90) + "…";
  }
  function show() {
    var q = input.value.trim();
    if (q.length < 2) { list.hidden = true; list.innerHTML = ""; return; }
    var hits = search(q), first = q.toLowerCase().split(/\s+/)[0];
    list.innerHTML = hits.length ? hits.map(function (h) {
      return '<li><a href="' + esc(root + h.e.u) + '">' + esc(h.e.t) + '</a>' +
             '<div class="where">' + esc(h.e.p) + '</div>' +
             '<div class="snippet">' + esc(snippet(h.e.x, first)) + '</div></li>';
    }).join("") : '<li class="none">No section mentions “' + esc(q) + '”.</li>';
    list.hidden = false;
  }
  input.addEventListener("input", show);
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { input.value = ""; show(); }
    if (ev.key === "Enter") { var a = list.querySelector("a"); if (a) window.location.href = a.href; }
  });
  document.addEventListener("click", function (ev) {
    if (!list.contains(ev.target) && ev.target !== input) list.hidden = true;
  });
})();

/* Keyboard access to what scrolls (WCAG 2.1.1; axe "scrollable-region-focusable"): a code block,
   an output or a formula wider than the page scrolls sideways; each one that does gets
   tabindex="0" (a visible focus ring, see contrast.css) and a name that says what it is.
   Run once the formulas are typeset, and again when the window changes width. */
(function () {
  var KINDS = [
    ["pre", function (el) { return el.closest(".jp-InputArea") ? "Code" : "Output"; }],
    ["mjx-container", function () { return "Formula"; }],
    [".jp-RenderedHTMLCommon table", function () { return "Table"; }],
    [".jp-OutputArea-output", function () { return "Output"; }]
  ];
  function label() {
    KINDS.forEach(function (kind) {
      document.querySelectorAll(".site-main " + kind[0]).forEach(function (el) {
        var scrolls = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
        var cs = window.getComputedStyle(el);
        scrolls = scrolls && /auto|scroll/.test(cs.overflowX + " " + cs.overflowY);
        if (scrolls && !el.hasAttribute("tabindex")) {
          el.setAttribute("tabindex", "0");
          if (!el.hasAttribute("aria-label") && el.tagName.toLowerCase() !== "mjx-container") {
            el.setAttribute("role", "region");
            el.setAttribute("aria-label", kind[1](el) + " (scrolls sideways)");
          }
          el.setAttribute("data-softmax-scroll", "");
        }
      });
    });
    window.softmaxSiteReady = true;
  }
  function whenTypeset() {
    var mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise) mj.startup.promise.then(label, label);
    else label();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", whenTypeset);
  else whenTypeset();
  var timer = null;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(label, 200); });
})();
