import { test } from "node:test";
import assert from "node:assert/strict";
import { keyAction } from "../../softmax_lab/static/stepper_keys.js";

const on = (tagName, type = "") => ({ tagName, type });

test("arrows step and space plays while the widget (not a text box) has the focus", () => {
  assert.equal(keyAction({ key: "ArrowRight", target: on("DIV") }), "next");
  assert.equal(keyAction({ key: "ArrowLeft", target: on("CANVAS") }), "back");
  assert.equal(keyAction({ key: " ", target: on("DIV") }), "play");
  assert.equal(keyAction({ key: "ArrowRight", target: on("BUTTON") }), "next");
  assert.equal(keyAction({ key: "ArrowLeft", target: on("INPUT", "checkbox") }), "back");
});

test("keys keep their own meaning in boxes, menus, the slider, and space on a button", () => {
  for (const t of [on("INPUT", "text"), on("INPUT", "number"), on("INPUT", "range"), on("SELECT"), on("TEXTAREA")]) {
    for (const key of ["ArrowRight", "ArrowLeft", " "]) assert.equal(keyAction({ key, target: t }), null);
  }
  assert.equal(keyAction({ key: " ", target: on("BUTTON") }), null);
  assert.equal(keyAction({ key: "ArrowRight", ctrlKey: true, target: on("DIV") }), null);
  assert.equal(keyAction({ key: "a", target: on("DIV") }), null);
});
