// The frame contract on the browser's side, against frames Python made (tests/js/fixtures).
import { test } from "node:test";
import assert from "node:assert/strict";
import { fixtures } from "./helpers.mjs";
import { validate, newLossStore, mergeLoss, setHistory } from "../../softmax_lab/static/stepper_contract.js";

const { contract, cases } = fixtures;

function validateFrame(fr) {  // as frame.validate in Python: look-ahead frames too
  validate(fr, contract.frame);
  for (const k of ["ahead", "behind", "then"]) if (k in fr) validateFrame(fr[k]);
  for (const f of fr.earlier || []) validateFrame(f);
}

test("every static and frame Python made follows the contract", () => {
  assert.ok(cases.length >= 2);
  for (const c of cases) {
    validate(c.static, contract.static, "static");
    for (const fr of c.frames) validateFrame(fr);
  }
});

test("a frame that breaks the contract is refused, naming the field", () => {
  const fr = structuredClone(cases[0].frames[1]);
  delete fr.announce;
  assert.throws(() => validateFrame(fr), /announce/);
  const extra = { ...cases[0].frames[1], expect: 3 };  // a field Python never reads is not in the contract
  assert.throws(() => validateFrame(extra), /expect/);
  const wrong = structuredClone(cases[0].frames[1]);
  wrong.loss.n = "1";
  assert.throws(() => validateFrame(wrong), /loss.*'n'/);
});

test("the loss history is rebuilt from the values each frame carries", () => {
  for (const c of cases) {
    const store = newLossStore();
    for (const fr of c.frames) {
      assert.ok(fr.loss.batch.length <= 1, "a frame carries the last loss value only");
      assert.equal(mergeLoss(store, fr.loss), true, `step ${fr.step}`);
      assert.equal(store.batch.length, fr.loss.n);
    }
    // the frames end one step back: the store was cut to the history Python has
    assert.deepEqual(store, { batch: c.history.batch, train: c.history.train, hashes: c.history.hashes });
  }
});

test("a view that lacks the values before `start` asks for the history and keeps what it had", () => {
  const frames = cases[0].frames;
  const store = newLossStore();
  const late = frames[3];  // step 3: start 2, and the store is empty
  assert.equal(mergeLoss(store, late.loss), false);
  assert.deepEqual(store, newLossStore());
  // a history with a different past: the base hash does not match
  const other = { batch: [9, 9], train: [9, 9], hashes: ["x", "y"] };
  setHistory(store, other);
  assert.equal(mergeLoss(store, late.loss), false);
  assert.deepEqual(store.batch, [9, 9]);
  // the "history" answer makes the store whole
  const h = cases[0].history;
  setHistory(store, { batch: [...h.batch, 0], train: [...h.train, 0], hashes: [...h.hashes, "z"] });
  assert.equal(mergeLoss(store, late.loss), true);
  assert.equal(store.batch.length, 3);
});
