// shared by the node tests: the fixture Python wrote (python -m softmax_lab.frame ...) and a
// canvas context that records what is drawn
import { readFileSync } from "node:fs";

export const STATIC_DIR = new URL("../../softmax_lab/static/", import.meta.url);
export const fixtures = JSON.parse(readFileSync(new URL("./fixtures/frames.json", import.meta.url), "utf8"));

// a CanvasRenderingContext2D stand-in: every call is recorded; text is measured at 0.55 em per character
export function recordingContext() {
  const calls = [];
  const state = { font: "10px sans-serif" };
  const ctx = new Proxy(state, {
    get(target, name) {
      if (name === "calls") return calls;
      if (name in target) return target[name];
      if (name === "measureText") return (t) => ({ width: String(t).length * 0.55 * parseFloat(target.font) });
      return (...args) => { calls.push([name, ...args]); };
    },
    set(target, name, value) { target[name] = value; calls.push([`set:${String(name)}`, value]); return true; },
  });
  return ctx;
}

export const texts = (ctx) => ctx.calls.filter((c) => c[0] === "fillText").map((c) => c[1]);
