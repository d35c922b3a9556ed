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
