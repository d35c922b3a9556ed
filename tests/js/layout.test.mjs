import { test } from "node:test";
import assert from "node:assert/strict";
import { fontSize, panelSizes, niceTicks, fmtTick } from "../../softmax_lab/static/stepper_layout.js";

test("figure text: 13 px in the notebook, 19 px (>= 14 pt) in the presentation layout", () => {
  assert.equal(fontSize(false), 13);
  assert.ok(fontSize(true) * 0.75 >= 14);
});

test("presentation panels fit the card: main on top, the others side by side", () => {
  for (const [W, H] of [[1800, 700], [1200, 420], [300, 300]]) {
    const s = panelSizes(["main", "simplex", "loss"], 2, true, W, H);
    assert.ok(s.main[0] <= W && s.main[1] + s.simplex[1] <= H, JSON.stringify(s));
    assert.ok(s.simplex[0] + s.loss[0] <= W);
    assert.equal(s.simplex[1], s.loss[1]);
  }
  const two = panelSizes(["simplex", "loss"], 4, true, 1000, 500);
  assert.ok(two.simplex[1] > 400 && !("main" in two));
});

test("notebook sizes are fixed; a 1-feature main panel is wider", () => {
  assert.deepEqual(panelSizes(["main", "loss"], 1, false).main, [560, 390]);
  assert.deepEqual(panelSizes(["main", "loss"], 2, false).main, [500, 390]);
});

test("ticks are round and cover the range", () => {
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(0, 1.5, 3), [0, 0.5, 1, 1.5]);
  const t = niceTicks(-0.37, 2.21, 4);
  assert.ok(t[0] >= -0.37 && t.at(-1) <= 2.21 && t.length >= 3);
  assert.deepEqual(niceTicks(2, 2, 4), [2]);
  assert.equal(fmtTick(-0.5), "−0.5");
  assert.equal(fmtTick(0.30000000000000004), "0.3");
});
