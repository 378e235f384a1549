// The clause editor: check the text as it is typed (debounced), show every problem located, and jump to it.
(function () {
  "use strict";
  var area = document.getElementById("f-text");
  var panel = document.getElementById("diagnostics");
  if (!area || !panel) return;
  var maxBytes = parseInt(area.getAttribute("data-max-bytes"), 10) || 262144;
  var timer = null, seq = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function jump(line, col) {
    var lines = area.value.split("\n"), pos = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
    pos += Math.max(0, col - 1);
    area.focus();
    area.setSelectionRange(pos, pos);
    var lh = parseFloat(getComputedStyle(area).lineHeight) || 18;
    area.scrollTop = Math.max(0, (line - 4) * lh);
  }

  function show(result, ms) {
    panel.textContent = "";
    var diags = result.diagnostics || [];
    var errors = diags.filter(function (d) { return d.severity === "error"; }).length;
    var head = el("p", "diag-summary " + (result.ok ? "ok" : "bad"));
    head.textContent = result.ok
      ? (diags.length ? "ok, with " + diags.length + " warning(s)" : "ok: no problems")
      : errors + " error(s), " + (diags.length - errors) + " warning(s)";
    head.appendChild(el("span", "muted", " · checked in " + ms + " ms"));
    panel.appendChild(head);
    if (!diags.length) return;
    var ul = el("ul", "diagnostics");
    diags.forEach(function (d) {
      var li = el("li", "diag " + d.severity);
      var b = el("button", "loc-button", d.span.line + ":" + d.span.col);
      b.type = "button";
      b.title = "go to line " + d.span.line + ", column " + d.span.col;
      b.addEventListener("click", function () { jump(d.span.line, d.span.col); });
      li.appendChild(b);
      li.appendChild(document.createTextNode(" " + d.severity + "[" + d.code + "]: " + d.message));
      if (d.trail) li.appendChild(el("span", "muted", " (in " + d.trail + ")"));
      if (d.hint) li.appendChild(el("div", "hint", "hint: " + d.hint));
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }

  function check() {
    var text = area.value;
    var bytes = new TextEncoder().encode(text).length;
    if (bytes > maxBytes) {
      panel.textContent = "";
      panel.appendChild(el("p", "diag-summary bad", "the text is " + bytes + " bytes, over the limit of " + maxBytes));
      return;
    }
    var mine = ++seq, t0 = performance.now();
    fetch("/api/check", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({text: text})})
      .then(function (r) { return r.json().then(function (j) { return {status: r.status, body: j}; }); })
      .then(function (x) {
        if (mine !== seq) return;  // a newer check is on its way
        if (x.status !== 200) {
          panel.textContent = "";
          panel.appendChild(el("p", "diag-summary bad", x.body.error || ("error " + x.status)));
          return;
        }
        show(x.body, Math.round(performance.now() - t0));
      })
      .catch(function (e) { if (mine === seq) { panel.textContent = "cannot reach the server: " + e; } });
  }

  area.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 350);
  });
  check();
})();
