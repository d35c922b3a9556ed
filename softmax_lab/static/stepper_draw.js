// softmax-lab stepper: the panels drawn on a canvas 2D context from the frame description
// (pure functions: a context in, drawing commands out; no DOM).  Every word drawn comes from
// the frame (panel titles, legends, labels, threshold labels) or from `static` (names); the
// still picture (softmax_lab/stepper_still.py) draws the same description with matplotlib.

import { niceTicks, fmtTick } from "./stepper_layout.js";

export const MARKS = {
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

function marker(ctx, m, x, y, r, fill, stroke = "#000", lw = 1) {
  ctx.beginPath();
  (MARKS[m] || MARKS.o)(ctx, x, y, r);
  if (fill) { ctx.fillStyle = fill; ctx.fill(); }
  if (stroke) { ctx.lineWidth = lw; ctx.strokeStyle = stroke; ctx.stroke(); }
}

// a box with ticks and axis labels; returns data -> pixel maps and the box
export function axes(ctx, w, h, f, xlim, ylim, xlabel, ylabel, top = 0) {
  const left = f * 3.6, bottom = f * 2.9, right = f * 0.8, topm = f * 0.7 + top;
  const px = (x) => left + ((x - xlim[0]) / (xlim[1] - xlim[0])) * (w - left - right);
  const py = (y) => h - bottom - ((y - ylim[0]) / (ylim[1] - ylim[0])) * (h - bottom - topm);
  const box = { x0: left, x1: w - right, y0: topm, y1: h - bottom };
  ctx.font = `${f * 0.9}px sans-serif`;
  ctx.fillStyle = INK; ctx.strokeStyle = GRID; ctx.lineWidth = 1;
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

export function legendWidth(ctx, f, items) {
  ctx.font = `${f * 0.9}px sans-serif`;
  return Math.max(...items.map(([t]) => ctx.measureText(t).width)) + f * 2.2;
}

// items: the frame's legend, [text, kind, colour, marker] with kind marker | line | dash | ring
export function legend(ctx, f, x, y, items) {
  const w = legendWidth(ctx, f, items), h = items.length * f * 1.25 + f * 0.4;
  ctx.fillStyle = "rgba(255,255,255,0.92)"; ctx.fillRect(x, y, w, h);
  ctx.strokeStyle = "#bbb"; ctx.lineWidth = 1; ctx.strokeRect(x, y, w, h);
  items.forEach(([t, kind, c, m], i) => {
    const cy = y + f * 0.2 + (i + 0.5) * f * 1.25;
    if (kind === "ring") { ctx.beginPath(); ctx.arc(x + f * 0.8, cy, f * 0.45, 0, 2 * Math.PI); ctx.strokeStyle = "#000"; ctx.lineWidth = 2; ctx.stroke(); }
    else if (kind === "line" || kind === "dash") {
      ctx.beginPath(); ctx.setLineDash(kind === "dash" ? [f * 0.4, f * 0.25] : []); ctx.moveTo(x + f * 0.25, cy); ctx.lineTo(x + f * 1.35, cy);
      ctx.strokeStyle = c; ctx.lineWidth = 2.5; ctx.stroke(); ctx.setLineDash([]);
      if (m) marker(ctx, m, x + f * 0.8, cy, m === "o" ? f * 0.2 : f * 0.32, c, m === "o" ? null : "#000");
    }
    else marker(ctx, m, x + f * 0.8, cy, f * 0.35, c);
    ctx.fillStyle = INK; ctx.textAlign = "left"; ctx.textBaseline = "middle";
    ctx.fillText(t, x + f * 1.6, cy);
  });
}

function title(ctx, f, w, text) {
  ctx.font = `${f}px sans-serif`; ctx.fillStyle = INK; ctx.textAlign = "center"; ctx.textBaseline = "top";
  ctx.fillText(text, w / 2, f * 0.25, w - f);
}

// every sample as its class's marker at canvas position xy[i], and the ring
function samples(ctx, f, st, xy, r, edge, highlight) {
  xy.forEach(([x, y], i) => marker(ctx, st.markers[st.y[i]], x, y, r, st.colors[st.y[i]], "#000", edge));
  ctx.lineWidth = Math.max(2, f * 0.15); ctx.strokeStyle = "#000";
  for (const i of highlight) { ctx.beginPath(); ctx.arc(xy[i][0], xy[i][1], r * 2.1, 0, 2 * Math.PI); ctx.stroke(); }
}

function clear(ctx, w, h) { ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, w, h); }

export function drawRegions(ctx, w, h, f, st, p) {
  clear(ctx, w, h);
  title(ctx, f, w, p.title);
  const { px, py, box } = axes(ctx, w, h, f, st.xlim, st.ylim, p.xlabel, p.ylabel, f * 1.3);
  ctx.save();
  ctx.beginPath(); ctx.rect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0); ctx.clip();
  p.polygons.forEach((poly, c) => {
    if (!poly.length) return;
    ctx.beginPath();
    poly.forEach(([x, y], i) => (i ? ctx.lineTo(px(x), py(y)) : ctx.moveTo(px(x), py(y))));
    ctx.closePath(); ctx.fillStyle = st.light[c]; ctx.fill();
  });
  ctx.strokeStyle = "#262626"; ctx.lineWidth = Math.max(2, f * 0.14);
  for (const s of p.boundaries) {
    if (!s) continue;
    ctx.beginPath(); ctx.moveTo(px(s[0]), py(s[1])); ctx.lineTo(px(s[2]), py(s[3])); ctx.stroke();
  }
  samples(ctx, f, st, st.X.map(([x, y]) => [px(x), py(y)]), f * 0.36, 0.8, p.highlight);
  ctx.restore();
  frameBox(ctx, box);
  legend(ctx, f, box.x0 + f * 0.3, box.y0 + f * 0.3, p.legend);
}

// where a threshold label goes: centred on its line, kept inside the box; off view at a side
export function thresholdLabelX(x, align, textWidth, box, px) {
  if (x === null) return align === "left" ? box.x0 : box.x1;
  return Math.min(Math.max(px(x), box.x0 + textWidth / 2), box.x1 - textWidth / 2);
}

export function drawCurves(ctx, w, h, f, st, p) {
  clear(ctx, w, h);
  title(ctx, f, w, p.title);
  const { px, py, box } = axes(ctx, w, h, f, st.xlim, [-0.05, 1.05], p.xlabel, p.ylabel, f * 2.4);
  ctx.save();
  ctx.beginPath(); ctx.rect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0); ctx.clip();
  p.curves.forEach((ys, c) => {
    ctx.beginPath();
    ys.forEach((y, i) => (i ? ctx.lineTo(px(st.grid[i]), py(y)) : ctx.moveTo(px(st.grid[i]), py(y))));
    ctx.strokeStyle = st.colors[c]; ctx.lineWidth = Math.max(2.5, f * 0.17); ctx.stroke();
  });
  ctx.setLineDash([f * 0.45, f * 0.3]); ctx.strokeStyle = "#404040"; ctx.lineWidth = 2;
  for (const t of p.thresholds) { ctx.beginPath(); ctx.moveTo(px(t), box.y0); ctx.lineTo(px(t), box.y1); ctx.stroke(); }
  ctx.setLineDash([]);
  samples(ctx, f, st, p.points.map(([x, y]) => [px(x), py(y)]), f * 0.38, 0.8, p.highlight);
  ctx.restore();
  frameBox(ctx, box);
  ctx.font = `${f * 0.9}px sans-serif`; ctx.fillStyle = INK; ctx.textBaseline = "bottom";
  for (const [x, text, align] of p.threshold_labels) {
    ctx.textAlign = align;
    ctx.fillText(text, thresholdLabelX(x, align, ctx.measureText(text).width, box, px), box.y0 - f * 0.15);
  }
  const lw = legendWidth(ctx, f, p.legend);
  legend(ctx, f, box.x1 - f * 0.3 - lw, box.y0 + (box.y1 - box.y0) / 2 - (p.legend.length * f * 1.25 + f * 0.4) / 2, p.legend);
}

export function drawSimplex(ctx, w, h, f, st, p) {
  clear(ctx, w, h);
  title(ctx, f, w, w < f * 18 ? p.title_short : p.title);
  const pad = f * 2.6, top = f * 2.2;
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
  const [[n0, y0t], [n1, y1t], [n2, y2t]] = p.vertex_labels;
  // the bottom labels stand outside their corners and never run into each other or off the canvas
  const wide = (a, b) => Math.max(ctx.measureText(a).width, ctx.measureText(b).width);
  const mid = (V[0][0] + V[1][0]) / 2, gap = f * 0.5;
  const x0r = Math.max(wide(n0, y0t) + 2, Math.min(V[0][0] + wide(n0, y0t) / 2, mid - gap));
  const x1l = Math.min(w - wide(n1, y1t) - 2, Math.max(V[1][0] - wide(n1, y1t) / 2, mid + gap));
  ctx.textBaseline = "top";
  ctx.textAlign = "right"; ctx.fillText(y0t, x0r, V[0][1] + f * 0.3); ctx.fillText(n0, x0r, V[0][1] + f * 1.35);
  ctx.textAlign = "left"; ctx.fillText(y1t, x1l, V[1][1] + f * 0.3); ctx.fillText(n1, x1l, V[1][1] + f * 1.35);
  ctx.textAlign = "center"; ctx.textBaseline = "bottom";
  ctx.fillText(y2t, V[2][0], V[2][1] - f * 0.9); ctx.fillText(n2, V[2][0], V[2][1] - f * 1.95);
  samples(ctx, f, st, p.S.map(P), f * 0.34, 0.7, p.highlight);
}

// the loss panel: `p` the frame's loss description, `values` the history the view holds
export function drawLoss(ctx, w, h, f, st, p, values) {
  clear(ctx, w, h);
  const narrow = w < f * 22;
  const { px, py, box } = axes(ctx, w, h, f, [0, p.xmax], [0, p.ymax], p.xlabel, narrow ? p.ylabel_short : p.ylabel, narrow ? f * 1.2 : 0);
  ctx.save();
  ctx.beginPath(); ctx.rect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0); ctx.clip();
  const line = (ys, colour, dash, mark) => {
    if (!ys.length) return;
    ctx.beginPath(); ctx.setLineDash(dash);
    ys.forEach((y, i) => (i ? ctx.lineTo(px(i + 1), py(y)) : ctx.moveTo(px(i + 1), py(y))));
    ctx.strokeStyle = colour; ctx.lineWidth = Math.max(2, f * 0.13); ctx.stroke(); ctx.setLineDash([]);
    if (mark) {
      const every = ys.length <= 60 ? 1 : Math.floor(ys.length / 12);
      ys.forEach((y, i) => { if (i % every === 0) marker(ctx, mark, px(i + 1), py(y), f * 0.2, colour, null); });
    }
  };
  const [[, , c1, m1], [, , c2]] = p.legend;
  line(values.batch, c1, [], m1);
  line(values.train, c2, [f * 0.45, f * 0.3], "");
  ctx.restore();
  frameBox(ctx, box);
  if (box.x1 - box.x0 < f * 16) {  // too narrow for the legend box: one line above
    ctx.font = `${f * 0.9}px sans-serif`; ctx.fillStyle = INK; ctx.textAlign = "center"; ctx.textBaseline = "top";
    ctx.fillText(p.legend_short, (box.x0 + box.x1) / 2, f * 0.1, w - f);
  } else {
    const g = f * 0.85;
    legend(ctx, g, box.x1 - legendWidth(ctx, g, p.legend) - f * 0.2, box.y0 + f * 0.2, p.legend);
  }
  if (!values.batch.length) {
    ctx.font = `${f}px sans-serif`; ctx.fillStyle = "#595959"; ctx.textAlign = "center"; ctx.textBaseline = "middle";
    ctx.fillText(p.empty, (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2);
  }
}

// one panel of the frame: key "main" | "simplex" | "loss"
export function drawPanel(ctx, key, w, h, f, st, frame, lossValues) {
  if (key === "main") (st.kind === "curves" ? drawCurves : drawRegions)(ctx, w, h, f, st, frame.main);
  else if (key === "simplex") drawSimplex(ctx, w, h, f, st, frame.simplex);
  else drawLoss(ctx, w, h, f, st, frame.loss, lossValues);
}
