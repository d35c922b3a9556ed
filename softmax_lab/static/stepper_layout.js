// softmax-lab stepper: sizes and tick marks (pure functions, no DOM).

// figure text in CSS px: 13 in the notebook, 19 (14.25 pt) in the presentation layout
export const fontSize = (presentation) => (presentation ? 19 : 13);

// [width, height] in CSS px of each panel.  In the notebook the sizes are fixed; in the
// presentation layout the panels share the card's inner box W × H: the main panel on top
// (56 % of the height), the others side by side below it.
export function panelSizes(panels, nFeatures, presentation, W = 0, H = 0) {
  const sizes = {};
  if (!presentation) {
    const fixed = { main: [nFeatures === 1 ? 560 : 500, 390], simplex: [360, 390], loss: [470, 300] };
    for (const k of panels) sizes[k] = fixed[k];
    return sizes;
  }
  W = Math.max(300, W); H = Math.max(300, H);
  const hasMain = panels.includes("main");
  const others = panels.filter((k) => k !== "main");
  if (hasMain) sizes.main = [W, Math.floor(H * (others.length ? 0.56 : 1)) - 4];
  const h = hasMain ? Math.floor(H * 0.44) - 4 : H - 4;
  others.forEach((k) => (sizes[k] = [Math.floor(W / others.length) - 4, h]));
  return sizes;
}

// round tick values covering [lo, hi], about n of them (steps 1, 2, 2.5, 5 × 10^e)
export function niceTicks(lo, hi, n) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / Math.max(n, 1), mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * span; v += step) out.push(+v.toFixed(10));
  return out;
}

export const fmtTick = (v) => (Math.abs(v) >= 1000 ? v.toExponential(0) : String(+v.toPrecision(4)).replace("-", "−"));
