// The canvas draws the frame description: every word on a panel comes from the frame (or the
// static names), nothing else but tick numbers; the ring goes round the highlighted samples.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fixtures, recordingContext, texts } from "./helpers.mjs";
import { drawPanel, thresholdLabelX } from "../../softmax_lab/static/stepper_draw.js";
import { newLossStore, mergeLoss } from "../../softmax_lab/static/stepper_contract.js";

const NUMBER = /^−?\d+(\.\d+)?(e[+-]?\d+)?$/;

function drawAll(st, fr, store, w = 500, h = 390, f = 13) {
  const out = {};
  for (const key of st.panels) {
    const ctx = recordingContext();
    drawPanel(ctx, key, w, h, f, st, fr, store);
    out[key] = ctx;
  }
  return out;
}

test("every word drawn comes from the frame description", () => {
  for (const { static: st, frames } of fixtures.cases) {
    const store = newLossStore();
    for (const fr of frames) {
      mergeLoss(store, fr.loss);
      const drawn = drawAll(st, fr, store);
      for (const key of st.panels) {
        const p = fr[key], words = texts(drawn[key]);
        const allowed = new Set([p.title, p.title_short, p.xlabel, p.ylabel, p.ylabel_short, p.legend_short, p.empty,
          ...(p.legend || []).map((l) => l[0]), ...(p.vertex_labels || []).flat(),
          ...(p.threshold_labels || []).map((l) => l[1])].filter(Boolean));
        for (const t of words) assert.ok(allowed.has(t) || NUMBER.test(t), `${key} drew ${JSON.stringify(t)} (not in the frame)`);
        if (p.title) assert.ok(words.includes(p.title), `${key}: title`);
        for (const [label] of p.legend) assert.ok(words.includes(label), `${key}: legend ${label}`);
        for (const l of p.threshold_labels || []) assert.ok(words.includes(l[1]), `threshold label ${l[1]}`);
        if (key === "loss") assert.equal(words.includes(p.empty), fr.loss.n === 0);
      }
    }
  }
});

test("the ring follows the mode and goes round the highlighted samples", () => {
  const { static: st, frames } = fixtures.cases[0];
  assert.match(frames[0].main.title, /ring = next sample/);
  assert.match(frames[1].main.title, /ring = current sample/);
  for (const fr of frames) {
    const ctx = drawAll(st, fr, newLossStore()).main;
    const f = 13, ringR = f * 0.36 * 2.1;
    const rings = ctx.calls.filter((c) => c[0] === "arc" && Math.abs(c[3] - ringR) < 1e-9);
    assert.equal(rings.length, fr.main.highlight.length);
  }
});

test("threshold labels: on their line inside the box, off view at the side", () => {
  const box = { x0: 50, x1: 450 }, px = (x) => 50 + x * 100;
  assert.equal(thresholdLabelX(2, "center", 100, box, px), 250);
  assert.equal(thresholdLabelX(0, "center", 100, box, px), 100);  // kept inside
  assert.equal(thresholdLabelX(null, "left", 100, box, px), 50);
  assert.equal(thresholdLabelX(null, "right", 100, box, px), 450);
});

test("the loss panel draws the values the view holds", () => {
  const { static: st, frames } = fixtures.cases[0];
  const store = newLossStore();
  for (const fr of frames.slice(0, 4)) mergeLoss(store, fr.loss);
  const ctx = drawAll(st, frames[3], store).loss;
  const moves = ctx.calls.filter((c) => c[0] === "lineTo" || c[0] === "moveTo");
  assert.ok(moves.length >= 2 * store.batch.length);
});
