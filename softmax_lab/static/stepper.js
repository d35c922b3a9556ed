// softmax-lab stepper: the browser half (an anywidget ES module).
//
// Wiring and drawing only.  Every number on screen (status line, recipe,
// control values) arrives as text formatted by Python from the
// TrainingStepper; the pictures are drawn here on <canvas> at the screen's
// pixel ratio from the geometry Python sends (decision polygons, boundary
// segments, simplex coordinates, loss values).
//
// A click on next / back is painted in its own task from the look-ahead frame
// the kernel sent with the frame on screen (the next / previous step, made by
// the stepper and put back), then sent to the kernel, whose answer replaces
// the picture unless it is the same (same key).  Play is clocked here: the
// kernel runs a few steps ahead, the answers are painted one per interval in
// animation frames, and pause sends the step on screen, to which the kernel
// goes back exactly.

const MARKS = {
  o: (c, x, y, r) => c.arc(x, y, r, 0, 2 * Math.PI),
  s: (c, x, y, r) => c.rect(x - r * 0.85, y - r * 0.85, 1.7 * r, 1.7 * r),
  "^": (c, x, y, r) => { c.moveTo(x, y - r * 1.1); c.lineTo(x + r, y + r * 0.75); c.lineTo(x - r, y + r * 0.75); c.closePath(); },
  v: (c, x, y, r) => { c.moveTo(x, y + r * 1.1); c.lineTo(x + r, y - r * 0.75); c.lineTo(x - r, y - r * 0.75); c.closePath(); },
  "<": (c, x, y, r) => { c.moveTo(x - r * 1.1, y); c.lineTo(x + r * 0.75, y - r); c.lineTo(x + r * 0.75, y + r); c.closePath(); },
  ">": (c, x, y, r) => { c.moveTo(x + r * 1.1, y); c.lineTo(x - r * 0.75, y - r); c.lineTo(x - r * 0.75, y + r); c.closePath(); },
  D: (c, x, y, r) => { c.moveTo(x, y - r * 1.15); c.lineTo(x + r * 0.85, y); c.lineTo(x, y + r * 1.15); c.lineTo(x - r * 0.85, y); c.closePath(); },
  P: (c, x, y, r) => { const a = r * 0.38; c.moveTo(x - a, y - r); c.lineTo(x + a, y - r); c.lineTo(x + a, y - a); c.lineTo(x + r, y - a); c.lineTo(x + r, y + a); c.lineTo(x + a, y + a); c.lineTo(x + a, y + r); c.lineTo(x - a, y + r); c.lineTo(x - a, y + a); c.lineTo(x - r, y + a); c.lineTo(x - r, y - a); c.lineTo(x - a, y - a); c.closePath(); },
  X: (c, x, y, r) => { c.save(); c.translate(x, y); c.rotate(Math.PI / 4); MARKS.P(c, 0, 0, r); c.restore(); },
  "*": (c, x, y, r) => { for (let i = 0; i < 10; i++) { const a = -Math.PI / 2 + (i * Math.PI) / 5, q = i % 2 ? r * 0.45 : r * 1.15; const px = x + q * Math.cos(a), py = y + q * Math.sin(a); i ? c.lineTo(px, py) : c.moveTo(px, py); } c.closePath(); },
};
const INK = "#222", GRID = "rgba(0,0,0,0.12)";

function niceTicks(lo, hi, n) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / Math.max(n, 1), mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * span; v += step) out.push(+v.toFixed(10));
  return out;
}
const fmtTick = (v) => (Math.abs(v) >= 1000 ? v.toExponential(0) : String(+v.toPrecision(4)));

function marker(ctx, m, x, y, r, fill, stroke = "#000", lw = 1) {
  ctx.beginPath();
  (MARKS[m] || MARKS.o)(ctx, x, y, r);
  if (fill) { ctx.fillStyle = fill; ctx.fill(); }
  if (stroke) { ctx.lineWidth = lw; ctx.strokeStyle = stroke; ctx.stroke(); }
}

// a canvas sized in CSS pixels, drawn at devicePixelRatio
function prepare(canvas, w, h) {
  const dpr = window.devicePixelRatio || 1;
  const W = Math.max(1, Math.round(w * dpr)), H = Math.max(1, Math.round(h * dpr));
  if (canvas.width !== W || canvas.height !== H) { canvas.width = W; canvas.height = H; }
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, h);
  return ctx;
}

// axes: a box with ticks and labels; returns data -> pixel maps
function axes(ctx, w, h, f, xlim, ylim, xlabel, ylabel, top = 0) {
  const left = f * 3.6, bottom = f * 2.9, right = f * 0.8, topm = f * 0.7 + top;
  const px = (x) => left + ((x - xlim[0]) / (xlim[1] - xlim[0])) * (w - left - right);
  const py = (y) => h - bottom - ((y - ylim[0]) / (ylim[1] - ylim[0])) * (h - bottom - topm);
  const box = { x0: left, x1: w - right, y0: topm, y1: h - bottom };
  ctx.font = `${f * 0.9}px sans-serif`;
  ctx.fillStyle = INK;
  ctx.strokeStyle = GRID;
  ctx.lineWidth = 1;
  const nx = Math.max(2, Math.floor((box.x1 - box.x0) / (f * 4))), ny = Math.max(2, Math.floor((box.y1 - box.y0) / (f * 2.6)));
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  for (const t of niceTicks(xlim[0], xlim[1], nx)) {
    const x = px(t);
    ctx.beginPath(); ctx.moveTo(x, box.y0); ctx.lineTo(x, box.y1); ctx.stroke();
    ctx.fillText(fmtTick(t), x, box.y1 + f * 0.25);
  }
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  for (const t of niceTicks(ylim[0], ylim[1], ny)) {
    const y = py(t);
    ctx.beginPath(); ctx.moveTo(box.x0, y); ctx.lineTo(box.x1, y); ctx.stroke();
    ctx.fillText(fmtTick(t), box.x0 - f * 0.3, y);
  }
  ctx.font = `${f}px sans-serif`;
  ctx.textAlign = "center"; ctx.textBaseline = "bottom";
  ctx.fillText(xlabel, (box.x0 + box.x1) / 2, h - f * 0.15);
  ctx.save(); ctx.translate(f * 0.2, (box.y0 + box.y1) / 2); ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = "top"; ctx.fillText(ylabel, 0, 0); ctx.restore();
  return { px, py, box };
}

function frameBox(ctx, box) {
  ctx.strokeStyle = "#444"; ctx.lineWidth = 1;
  ctx.strokeRect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
}

function legend(ctx, f, x, y, items) {  // items: [label, marker, colour]
  ctx.font = `${f * 0.9}px sans-serif`;
  const w = Math.max(...items.map(([t]) => ctx.measureText(t).width)) + f * 2.2, h = items.length * f * 1.25 + f * 0.4;
  ctx.fillStyle = "rgba(255,255,255,0.92)"; ctx.fillRect(x, y, w, h);
  ctx.strokeStyle = "#bbb"; ctx.lineWidth = 1; ctx.strokeRect(x, y, w, h);
  items.forEach(([t, m, c], i) => {
    const cy = y + f * 0.2 + (i + 0.5) * f * 1.25;
    if (m === "ring") { ctx.beginPath(); ctx.arc(x + f * 0.8, cy, f * 0.45, 0, 2 * Math.PI); ctx.strokeStyle = "#000"; ctx.lineWidth = 2; ctx.stroke(); }
    else if (m === "line" || m === "dash") { ctx.beginPath(); ctx.setLineDash(m === "dash" ? [f * 0.4, f * 0.25] : []); ctx.moveTo(x + f * 0.25, cy); ctx.lineTo(x + f * 1.35, cy); ctx.strokeStyle = c; ctx.lineWidth = 2.5; ctx.stroke(); ctx.setLineDash([]); }
    else marker(ctx, m, x + f * 0.8, cy, f * 0.35, c);
    ctx.fillStyle = INK; ctx.textAlign = "left"; ctx.textBaseline = "middle";
    ctx.fillText(t, x + f * 1.6, cy);
  });
}

function title(ctx, f, w, text) {
  ctx.font = `${f}px sans-serif`; ctx.fillStyle = INK; ctx.textAlign = "center"; ctx.textBaseline = "top";
  ctx.fillText(text, w / 2, f * 0.25, w - f);
}

// every sample as its class's marker at canvas position xy[i], and a ring around the current batch
function samples(ctx, f, st, xy, r, edge, highlight) {
  xy.forEach(([x, y], i) => marker(ctx, st.markers[st.y[i]], x, y, r, st.colors[st.y[i]], "#000", edge));
  ctx.lineWidth = Math.max(2, f * 0.15); ctx.strokeStyle = "#000";
  for (const i of highlight) { ctx.beginPath(); ctx.arc(xy[i][0], xy[i][1], r * 2.1, 0, 2 * Math.PI); ctx.stroke(); }
}

function drawRegions(canvas, w, h, f, st, fr) {
  const ctx = prepare(canvas, w, h);
  title(ctx, f, w, "regions at the current θ · ring = current batch");
  const { px, py, box } = axes(ctx, w, h, f, st.xlim, st.ylim, st.feature_names[0], st.feature_names[1], f * 1.3);
  ctx.save();
  ctx.beginPath(); ctx.rect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0); ctx.clip();
  fr.polygons.forEach((poly, c) => {
    if (!poly.length) return;
    ctx.beginPath();
    poly.forEach(([x, y], i) => (i ? ctx.lineTo(px(x), py(y)) : ctx.moveTo(px(x), py(y))));
    ctx.closePath(); ctx.fillStyle = st.light[c]; ctx.fill();
  });
  ctx.strokeStyle = "#262626"; ctx.lineWidth = Math.max(2, f * 0.14);
  for (const s of fr.boundaries) {
    if (!s) continue;
    ctx.beginPath(); ctx.moveTo(px(s[0]), py(s[1])); ctx.lineTo(px(s[2]), py(s[3])); ctx.stroke();
  }
  const r = f * 0.36;
  samples(ctx, f, st, st.X.map(([x, y]) => [px(x), py(y)]), r, 0.8, fr.highlight);
  ctx.restore();
  frameBox(ctx, box);
  legend(ctx, f, box.x0 + f * 0.3, box.y0 + f * 0.3, [
    ...st.class_names.map((n, c) => [n, st.markers[c], st.colors[c]]),
    [fr.highlight.length === 1 ? "current sample" : "current batch", "ring"]]);  // as the still picture says
}

function drawCurves(canvas, w, h, f, st, fr) {
  const ctx = prepare(canvas, w, h);
  title(ctx, f, w, "ŷ at the current θ · ring = current batch");
  const { px, py, box } = axes(ctx, w, h, f, st.xlim, [-0.05, 1.05], st.feature_names[0], "predicted probability ŷ", f * 2.4);
  ctx.save();
  ctx.beginPath(); ctx.rect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0); ctx.clip();
  fr.curves.forEach((ys, c) => {
    ctx.beginPath();
    ys.forEach((y, i) => (i ? ctx.lineTo(px(st.grid[i]), py(y)) : ctx.moveTo(px(st.grid[i]), py(y))));
    ctx.strokeStyle = st.colors[c]; ctx.lineWidth = Math.max(2.5, f * 0.17); ctx.stroke();
  });
  ctx.setLineDash([f * 0.45, f * 0.3]); ctx.strokeStyle = "#404040"; ctx.lineWidth = 2;
  for (const t of fr.thresholds) { ctx.beginPath(); ctx.moveTo(px(t), box.y0); ctx.lineTo(px(t), box.y1); ctx.stroke(); }
  ctx.setLineDash([]);
  const r = f * 0.38;
  samples(ctx, f, st, fr.points.map(([x, y]) => [px(x), py(y)]), r, 0.8, fr.highlight);
  ctx.restore();
  frameBox(ctx, box);
  ctx.font = `${f * 0.9}px sans-serif`; ctx.fillStyle = INK; ctx.textBaseline = "bottom";
  fr.threshold_labels.forEach(([x, text]) => {
    const X = x === null ? box.x0 : px(x);
    ctx.textAlign = x === null ? "left" : "center";
    ctx.fillText(text, Math.min(Math.max(X, box.x0 + ctx.measureText(text).width / 2), box.x1 - ctx.measureText(text).width / 2), box.y0 - f * 0.15);
  });
  legend(ctx, f, box.x1 - f * 0.3 - (Math.max(...st.class_names.map((n) => ctx.measureText(n).width)) + f * 2.2), box.y0 + f * 0.3,
    st.class_names.map((n, c) => [n, st.markers[c], st.colors[c]]));
}

function drawSimplex(canvas, w, h, f, st, fr) {
  const ctx = prepare(canvas, w, h);
  title(ctx, f, w, w < f * 18 ? "ŷ of every sample" : "ŷ of every sample at the current θ");
  const pad = f * 2.2, top = f * 1.6;
  const side = Math.min(w - 2 * pad, (h - top - 2 * pad) / (Math.sqrt(3) / 2));
  const x0 = (w - side) / 2, y0 = top + pad + (side * Math.sqrt(3)) / 2;
  const P = ([a, b]) => [x0 + a * side, y0 - b * side];
  const V = [[0, 0], [1, 0], [0.5, Math.sqrt(3) / 2]].map(P);
  const C = P([0.5, Math.sqrt(3) / 6]);
  ctx.strokeStyle = "#8c8c8c"; ctx.setLineDash([f * 0.3, f * 0.25]); ctx.lineWidth = 1;
  for (const [i, j] of [[0, 1], [1, 2], [0, 2]]) { ctx.beginPath(); ctx.moveTo(...C); ctx.lineTo((V[i][0] + V[j][0]) / 2, (V[i][1] + V[j][1]) / 2); ctx.stroke(); }
  ctx.setLineDash([]);
  ctx.strokeStyle = "#333"; ctx.lineWidth = 1.5;
  ctx.beginPath(); ctx.moveTo(...V[0]); ctx.lineTo(...V[1]); ctx.lineTo(...V[2]); ctx.closePath(); ctx.stroke();
  ctx.font = `${f * 0.9}px sans-serif`; ctx.fillStyle = INK;
  ctx.textBaseline = "top"; ctx.textAlign = "center";
  ctx.fillText(st.class_names[0], V[0][0], V[0][1] + f * 0.3);
  ctx.fillText(st.class_names[1], V[1][0], V[1][1] + f * 0.3);
  ctx.textBaseline = "bottom";
  ctx.fillText(st.class_names[2], V[2][0], V[2][1] - f * 0.3);
  const r = f * 0.34;
  samples(ctx, f, st, fr.S.map(P), r, 0.7, fr.highlight);
}

function drawLoss(canvas, w, h, f, st, fr) {
  const ctx = prepare(canvas, w, h);
  const narrow = w < f * 22;
  const { px, py, box } = axes(ctx, w, h, f, [0, fr.xmax], [0, fr.ymax], "update", narrow ? "loss" : "loss (cross-entropy)", narrow ? f * 1.2 : 0);
  ctx.save();
  ctx.beginPath(); ctx.rect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0); ctx.clip();
  const line = (ys, colour, dash, marks) => {
    if (!ys.length) return;
    ctx.beginPath(); ctx.setLineDash(dash);
    ys.forEach((y, i) => (i ? ctx.lineTo(px(i + 1), py(y)) : ctx.moveTo(px(i + 1), py(y))));
    ctx.strokeStyle = colour; ctx.lineWidth = Math.max(2, f * 0.13); ctx.stroke(); ctx.setLineDash([]);
    if (marks) {
      const every = ys.length <= 60 ? 1 : Math.floor(ys.length / 12);
      ys.forEach((y, i) => { if (i % every === 0) marker(ctx, "o", px(i + 1), py(y), f * 0.2, colour, null); });
    }
  };
  line(fr.batch, st.colors[3] || "#0072B2", [], true);
  line(fr.train, "#D55E00", [f * 0.45, f * 0.3], false);
  ctx.restore();
  frameBox(ctx, box);
  if (box.x1 - box.x0 < f * 16) { /* too narrow for a legend: the title says it */ }
  else legendLoss();
  function legendLoss() {
  const items = [["batch, before the update", "line", st.colors[3] || "#0072B2"], [`all ${st.n_samples}, after`, "dash", "#D55E00"]];
  ctx.font = `${f * 0.85 * 0.9}px sans-serif`;
  const lw = Math.max(...items.map(([t]) => ctx.measureText(t).width)) + f * 0.85 * 2.2;
  legend(ctx, f * 0.85, box.x1 - lw - f * 0.2, box.y0 + f * 0.2, items);
  }
  if (box.x1 - box.x0 < f * 16) {
    ctx.font = `${f * 0.9}px sans-serif`; ctx.fillStyle = INK; ctx.textAlign = "center"; ctx.textBaseline = "top";
    ctx.fillText("— batch  - - all", (box.x0 + box.x1) / 2, f * 0.1, w - f);
  }
  if (!fr.batch.length) {
    ctx.font = `${f}px sans-serif`; ctx.fillStyle = "#595959"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
    ctx.fillText("no update yet: press next ▶", (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2);
  }
}

const h = (tag, props = {}, ...kids) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  el.append(...kids);
  return el;
};

function render({ model, el }) {
  const st = model.get("static");
  const root = h("div", { class: "softmax-lab-stepper sl-root" });
  el.append(root);
  // each view numbers its messages from its own random start, so two views of one widget
  // never take an answer to the other's message for their own
  let seq = Math.floor(Math.random() * 1e12), playing = false, paintedStep = null;
  const send = (msg) => { seq += 1; model.send({ ...msg, seq }); return seq; };

  const btn = (action, text, tip) => h("button", { class: "sl-btn", dataset: { action }, title: tip, type: "button" }, text);
  const bReset = btn("reset", "↺ reset", "back to step 0 (the starting θ)");
  const bBack = btn("back", "◀ back", "undo the last update exactly");
  const bNext = btn("next", "next ▶", "make one update (the 5-step recipe)");
  bNext.classList.add("sl-primary");
  const bPlay = btn("play", "▶ play", "play / pause: one update per tick");
  const bPause = btn("pause", "❚❚ pause", "stop exactly at the step on screen");
  bPause.hidden = true;
  const speed = h("select", { class: "sl-speed", title: "time per step when playing" },
    ...[50, 100, 200, 400, 800, 1500].map((ms) => h("option", { value: ms }, `${ms} ms / step`)));
  const present = h("input", { type: "checkbox", class: "sl-present-box" });
  const presentLabel = h("label", { class: "sl-check", title: "large text, whole stepper on one screen" }, present, " presentation");

  const lr = h("input", { type: "range", min: "-3", max: "1", step: "0.05", class: "sl-lr", title: "learning rate (log scale)" });
  const lrText = h("input", { type: "text", class: "sl-lr-text", size: "7", title: "type a learning rate and press Enter" });
  const mode = h("select", { class: "sl-mode" }, ...st.modes.map(([label, v]) => h("option", { value: v }, label)));
  const bs = h("input", { type: "number", min: "2", max: String(Math.max(st.n_samples - 1, 2)), class: "sl-bs", title: "samples per mini-batch" });
  const shuffle = h("input", { type: "checkbox", class: "sl-shuffle" });
  const seed = h("input", { type: "text", class: "sl-seed", size: "6", placeholder: "none", title: "a whole number >= 0, or empty for none" });
  const sample = h("select", { class: "sl-sample" }, ...st.sample_options.map(([label, v]) => h("option", { value: v }, label)));

  const status = h("div", { class: "sl-status" });
  const note = h("div", { class: "sl-note" });
  const recipe = h("div", { class: "sl-recipe" });
  const canvases = {};
  const cells = [];
  for (const key of st.panels) {
    canvases[key] = h("canvas", { class: `sl-canvas sl-canvas-${key}`, role: "img", "aria-label": key });
    cells.push(h("div", { class: `sl-cell sl-cell-${key}` }, canvases[key]));
  }
  const panels = h("div", { class: "sl-panels sl-card" }, ...cells);
  root.append(
    ...(st.title ? [h("div", { class: "sl-title" }, st.title)] : []),
    h("div", { class: "sl-controls" },
    h("div", { class: "sl-bar" }, bReset, bBack, bNext, bPlay, bPause, speed, presentLabel),
    h("div", { class: "sl-bar sl-knobs" },
      h("label", {}, "learning rate η ", lr, lrText),
      h("label", {}, "mode ", mode),
      h("label", { class: "sl-bs-label" }, "s = ", bs),
      h("label", { class: "sl-check" }, shuffle, " shuffle each epoch"),
      h("label", {}, "seed ", seed),
      h("label", {}, "next sample ", sample))),
    status, note,
    h("div", { class: "sl-body" }, panels, recipe));

  // ---- sizes: fixed in the notebook; in presentation, the screen that is left
  const availableHeight = () => {
    // JupyterLab 4 / Notebook 7 scroll the notebook in .jp-WindowedPanel-outer; elsewhere the window
    const scroller = el.closest(".jp-WindowedPanel-outer");
    const hgt = scroller ? scroller.clientHeight : window.innerHeight;
    return Math.max(360, hgt - 24);
  };
  const layout = () => {
    const pres = root.classList.contains("sl-presentation");
    const f = pres ? 19 : 13;  // figure text in CSS px (19 px = 14.25 pt)
    if (pres) {
      root.style.height = `${availableHeight()}px`;
    } else {
      root.style.height = "";
    }
    const sizes = {};
    if (pres) {
      // the card's inner box (clientWidth/Height include its 4 px padding), less a pixel of slack
      const W = Math.max(300, panels.clientWidth - 9), H = Math.max(300, panels.clientHeight - 9);
      const mainKey = st.panels.includes("main") ? "main" : null;
      const others = st.panels.filter((k) => k !== mainKey);
      if (mainKey) {
        sizes.main = [W, Math.floor(H * (others.length ? 0.56 : 1)) - 4];
        others.forEach((k) => (sizes[k] = [Math.floor(W / others.length) - 4, Math.floor(H * 0.44) - 4]));
      } else {
        others.forEach((k) => (sizes[k] = [Math.floor(W / others.length) - 4, H - 4]));
      }
    } else {
      Object.assign(sizes, { main: [st.n_features === 1 ? 560 : 500, 390], simplex: [360, 390], loss: [470, 300] });
    }
    return { f, sizes };
  };

  let current = null;
  const draw = () => {
    const fr = current;
    if (!fr) return;
    const { f, sizes } = layout();
    for (const key of st.panels) {
      const [w, hh] = sizes[key];
      const fn = key === "main" ? (st.kind === "curves" ? drawCurves : drawRegions) : key === "simplex" ? drawSimplex : drawLoss;
      fn(canvases[key], w, hh, f, st, fr[key]);
    }
  };

  const setControls = (c) => {
    if (document.activeElement !== lrText) lrText.value = c.lr_text;
    lr.value = String(Math.min(1, Math.max(-3, Math.log10(c.lr))));
    lr.title = c.lr_note || "learning rate (log scale)";
    mode.value = c.mode;
    bs.value = String(c.batch_size_shown);
    bs.disabled = c.mode !== "mini-batch";
    shuffle.checked = c.shuffle;
    if (document.activeElement !== seed) seed.value = c.seed_text;
    seed.title = c.seed_note;
    sample.value = String(c.sample);
    bBack.disabled = c.step === 0;
  };

  // ---- painting.  paint() puts a frame on screen in the current task; the step counts as
  // on screen (paintedStep, data-screen-step) once the frame that shows it was painted.
  const postTask = (fn) => { const ch = new MessageChannel(); ch.port1.onmessage = fn; ch.port2.postMessage(0); };
  // a task posted from an animation-frame callback runs after that frame's paint
  const afterPaint = (cb, inFrame) => (inFrame ? postTask(cb) : requestAnimationFrame(() => postTask(cb)));
  // only what changed is written: an unchanged control or note costs the frame nothing
  let shownNote = null, shownControls = null, recipeMode = null, recipeFloor = 0;
  const paint = (fr, inFrame = false) => {
    const t0 = performance.now();
    current = fr;
    status.innerHTML = fr.status_html;
    if (fr.note_html !== shownNote) { note.innerHTML = fr.note_html; shownNote = fr.note_html; }
    recipe.innerHTML = fr.recipe_html;
    const controls = JSON.stringify(fr.controls);
    if (controls !== shownControls) { setControls(fr.controls); shownControls = controls; }
    draw();
    root.dataset.paintedStep = String(fr.step);
    root.dataset.paintMs = (performance.now() - t0).toFixed(1);  // the script's share of a paint (bench)
    afterPaint(() => {
      paintedStep = fr.step; root.dataset.screenStep = String(fr.step);
      // the recipe only grows within a mode, so the notebook below does not jump at every step
      // (and is not laid out again); read after the paint, when layout is clean and cheap
      const mode = `${fr.controls.mode}/${fr.controls.batch_size}/${root.classList.contains("sl-presentation")}`;
      if (mode !== recipeMode || fr.step === 0) { recipeMode = mode; recipeFloor = 0; recipe.style.minHeight = ""; }
      if (!root.classList.contains("sl-presentation") && recipe.offsetHeight > recipeFloor) {
        recipeFloor = recipe.offsetHeight; recipe.style.minHeight = `${recipeFloor}px`;
      }
    }, inFrame);
  };

  // ---- next / back before the kernel answers.  Outside play the kernel's frame carries
  // `ahead` and `behind`: the next and the previous step, made by the TrainingStepper and
  // put back exactly.  A click paints one of them at once when this view has no request
  // unanswered (so they still describe the kernel's state); the kernel's answer, after it
  // really stepped, replaces the picture unless its key (a digest of all that is shown) is
  // the same.  data-lookahead counts the clicks painted this way, data-mismatches the ones
  // whose answer differed (never expected: both come from the same stepper).
  const awaiting = new Set();
  let lookahead = 0, mismatches = 0, provisionalSeq = null;
  const settled = () => !playing && current && !current.provisional && awaiting.size === 0;
  const sendAndAwait = (msg) => { const s = send(msg); awaiting.add(s); return s; };
  const pressNow = (name) => {
    const target = name === "next" ? current && current.ahead : current && current.behind;
    const expect = (current ? current.step : 0) + (name === "next" ? 1 : -1);
    const useIt = settled() && target;
    const s = sendAndAwait({ event: "press", name, expect });
    if (useIt) {
      lookahead += 1; root.dataset.lookahead = String(lookahead);
      provisionalSeq = s;
      paint({ ...target, provisional: true, seq: s });
      // a busy or stopped kernel: say that the step on screen is not made yet
      setTimeout(() => {
        if (!awaiting.has(s) || !current || current.seq !== s) return;
        stalled = true;
        note.innerHTML = "<span class='sl-error'>waiting for the kernel: this step was drawn from the " +
          "stepper's preview and is made when the kernel answers (is a cell still running?)</span>";
      }, STALL_MS);
    }
  };
  const STALL_MS = 2000;
  let stalled = false;

  // ---- play: the kernel runs up to DEPTH steps ahead of the screen, asked CHUNK steps per
  // message; the answers wait in `buffer` and are painted on a fixed clock: step n is due at
  // start + n × interval and is painted in the animation frame that starts nearest to its due
  // time (each step is on screen for at least a frame).  Behind the clock (the kernel was
  // slow), steps come every half interval until it is caught up; more than 4 intervals
  // behind, the clock restarts.  Pause sends the step on screen and the kernel goes back to
  // exactly it.
  const CHUNK = 4, DEPTH = 8;
  const inflight = new Map();  // seq -> steps asked for
  const buffer = [];
  let due = null, requested = 0, asked = 0, queuedStep = 0, rafId = 0, lastPaint = -1e9, lastFrame = 0, frameMs = 1000 / 60;
  const interval = () => +model.get("interval_ms") || 400;
  const topUp = () => {
    while (playing && asked + buffer.length + CHUNK <= DEPTH) {
      const first = requested + 1;
      requested += CHUNK; asked += CHUNK;
      inflight.set(send({ event: "press", name: "next", play: true, count: CHUNK, expect: first }), CHUNK);
    }
  };
  const clock = (now) => {
    if (!playing) return;
    rafId = requestAnimationFrame(clock);
    if (lastFrame && now - lastFrame < 50) frameMs = 0.9 * frameMs + 0.1 * (now - lastFrame);
    lastFrame = now;
    const iv = interval(), half = frameMs / 2;
    if (due === null || now - due > 4 * iv) due = now;  // the first frame after the click, or far behind: (re)start the clock
    if (buffer.length && now >= due - half && now >= lastPaint + iv / 2 - half) {
      const fr = buffer.shift();
      paint(fr, true);
      lastPaint = now;
      due += iv;
      if (fr.error) { stop(true); return; }
    }
    postTask(topUp);  // after this frame is painted: the requests do not delay it
  };
  const start = () => {
    if (playing) return;
    const first = settled() && current.ahead;
    playing = true; bPlay.hidden = true; bPause.hidden = false;
    requested = current ? current.step : 0;
    queuedStep = requested; asked = 0;
    if (first) {  // the first two steps are on their way already: the look-ahead
      for (const fr of [first, first.then].filter(Boolean)) { buffer.push({ ...fr, provisional: true }); queuedStep = fr.step; }
      lookahead += 1; root.dataset.lookahead = String(lookahead);
    }
    due = null; lastPaint = -1e9; lastFrame = 0;
    rafId = requestAnimationFrame(clock);
    topUp();  // at once: the second step is due one interval after the click
  };
  const stop = (tell = true) => {
    playing = false; cancelAnimationFrame(rafId); bPlay.hidden = false; bPause.hidden = true;
    inflight.clear(); asked = 0;  // answers still on their way are not drawn
    buffer.length = 0;
    // the step on screen (painted), not one drawn a moment ago and not yet painted
    if (tell) sendAndAwait({ event: "pause", step: paintedStep !== null ? paintedStep : current ? current.step : 0 });
  };

  // ---- the kernel's frames
  const show = () => {
    const fr = model.get("frame");
    if (fr.play) {  // an answer to play: CHUNK steps, the last one's frame with the others in `earlier`
      if (!playing || !inflight.has(fr.seq)) return;  // asked for before pause / reset
      asked -= inflight.get(fr.seq);
      inflight.delete(fr.seq);
      for (const f of [...(fr.earlier || []), fr]) {
        if (f.step > queuedStep) { buffer.push(f); queuedStep = f.step; continue; }
        // the step was queued from the look-ahead: keep that unless the kernel's differs
        const i = buffer.findIndex((b) => b.step === f.step);
        const shown = i >= 0 ? buffer[i] : current && current.step === f.step ? current : null;
        if (shown && shown.key !== f.key) {
          mismatches += 1; root.dataset.mismatches = String(mismatches);
          if (i >= 0) buffer[i] = f; else paint(f);
        }
      }
      return;
    }
    for (const s of awaiting) if (s <= fr.seq) awaiting.delete(s);
    if (current && fr.key === current.key) {  // the picture on screen: keep it, take the new look-ahead
      current = fr;
      if (stalled) { stalled = false; note.innerHTML = fr.note_html; }
      return;
    }
    stalled = false;
    if (provisionalSeq !== null && fr.seq === provisionalSeq) { mismatches += 1; root.dataset.mismatches = String(mismatches); }
    paint(fr);
  };

  // A mouse press on a control stays in the widget: JupyterLab's notebook otherwise handles it
  // (activates the cell, moves focus), which re-styled the whole document for 70 ms in the
  // middle of play.  A button also keeps the focus where it was (keyboard users still reach it).
  root.querySelector(".sl-controls").addEventListener("mousedown", (ev) => {
    ev.stopPropagation();
    if (ev.target.closest("button")) ev.preventDefault();
  });

  // a click while playing pauses first (at the step on screen), then acts
  const pausing = (fn) => () => { if (playing) stop(true); fn(); };
  bNext.addEventListener("click", pausing(() => pressNow("next")));
  bBack.addEventListener("click", pausing(() => pressNow("back")));
  bReset.addEventListener("click", () => { if (playing) stop(false); sendAndAwait({ event: "press", name: "reset" }); });
  bPlay.addEventListener("click", start);
  bPause.addEventListener("click", () => stop(true));
  speed.value = String(interval());
  speed.addEventListener("change", () => { model.set("interval_ms", +speed.value); model.save_changes(); });
  const set = (name, value) => { if (playing) stop(true); sendAndAwait({ event: "set", name, value }); };
  lr.addEventListener("change", () => set("lr", Math.pow(10, +lr.value)));
  lrText.addEventListener("change", () => set("lr", lrText.value));
  mode.addEventListener("change", () => set("mode", mode.value));
  bs.addEventListener("change", () => set("batch_size", bs.value));
  shuffle.addEventListener("change", () => set("shuffle", shuffle.checked));
  seed.addEventListener("change", () => set("seed", seed.value));
  sample.addEventListener("change", () => set("sample", +sample.value));

  const applyPresentation = () => {
    const on = !!model.get("presentation");
    present.checked = on;
    root.classList.toggle("sl-presentation", on);
    draw();
  };
  present.addEventListener("change", () => { model.set("presentation", present.checked); model.save_changes(); applyPresentation(); });

  model.on("change:frame", show);
  model.on("change:presentation", applyPresentation);
  model.on("change:interval_ms", () => { speed.value = String(interval()); });
  const ro = new ResizeObserver(() => { if (root.classList.contains("sl-presentation")) draw(); });
  ro.observe(root);
  const onResize = () => draw();
  window.addEventListener("resize", onResize);
  root.classList.toggle("sl-presentation", !!model.get("presentation"));
  present.checked = !!model.get("presentation");
  paint(model.get("frame"));
  return () => { ro.disconnect(); window.removeEventListener("resize", onResize); playing = false; cancelAnimationFrame(rafId); };
}

export default { render };
