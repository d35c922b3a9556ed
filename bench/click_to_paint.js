// Injected into the page by bench/click_to_paint.py (and tests/test_browser.py)
// before JupyterLab loads.  It measures, inside the page, the time from a click
// on the stepper to the animation frame in which BOTH the new numbers (the
// "step k" line and the recipe, typeset if it holds math) and the new picture
// (every panel image changed and decoded, or the canvas view's
// data-painted-step) are on screen.
//
// The paint time is taken in a MessageChannel task posted from the
// requestAnimationFrame callback that follows the DOM change: it runs after
// that frame's style, layout and paint work.
//
// Kernel / transfer / browser split: the WebSocket is wrapped; each outgoing
// comm_msg's msg_id is remembered, and the kernel's iopub "status busy/idle"
// replies to it carry the kernel's own timestamps (header.date; same machine,
// same clock).  kernel = idle - busy; browser = paint - arrival of the last
// kernel message for that request; transfer = the rest (click -> send ->
// server -> kernel and back, message decoding).
(() => {
  if (window.__sl) return;
  const S = (window.__sl = { sends: [], recv: {}, runs: [], pending: null, play: null, protocol: null });
  const dec = new TextDecoder();
  const asText = (d) => {
    if (typeof d === "string") return d.slice(0, 6000);
    if (d instanceof ArrayBuffer) return dec.decode(new Uint8Array(d, 0, Math.min(d.byteLength, 6000)));
    if (ArrayBuffer.isView(d)) return dec.decode(new Uint8Array(d.buffer, d.byteOffset, Math.min(d.byteLength, 6000)));
    return "";
  };
  const all = (s, re) => Array.from(s.matchAll(re), (m) => m[1]);
  const Orig = window.WebSocket;
  class WS extends Orig {
    constructor(...args) {
      super(...args);
      this.addEventListener("open", () => { if (/kernels/.test(this.url)) S.protocol = this.protocol; });
      this.addEventListener("message", (ev) => {
        const t = performance.now();
        const s = asText(ev.data);
        const ids = all(s, /"msg_id":\s*"([^"]+)"/g);
        const parent = ids[1];
        const r = parent && S.recv[parent];
        if (!r) return;
        const type = (s.match(/"msg_type":\s*"([^"]+)"/) || [])[1];
        const date = (s.match(/"date":\s*"([^"]+)"/) || [])[1];
        const state = (s.match(/"execution_state":\s*"(\w+)"/) || [])[1];
        const kt = date ? Date.parse(date) - performance.timeOrigin : null;
        if (type === "status" && state === "busy") r.busy = kt;
        else if (type === "status" && state === "idle") { r.idle = kt; r.idleArrive = t; }
        else { r.lastArrive = t; r.n = (r.n || 0) + 1; }
      });
    }
    send(d) {
      try {
        const s = asText(d);
        if (/"msg_type":\s*"comm_msg"/.test(s)) {
          const id = (s.match(/"msg_id":\s*"([^"]+)"/) || [])[1];
          // the step this request will produce: today's Play sends its value, ours "expect"
          const m = s.match(/"expect":\s*(\d+)/) || s.match(/"value":\s*(\d+)/);
          const rec = { id, t: performance.now(), target: m ? +m[1] : null };
          S.sends.push(rec);
          S.recv[id] = rec;
        }
      } catch (e) { /* never break the page */ }
      return super.send(d);
    }
  }
  window.WebSocket = WS;

  const root = () => document.querySelector(".softmax-lab-stepper");
  const shownStep = () => {
    const el = root() && root().querySelector(".sl-step");
    const m = el && el.textContent.match(/step (\d+)/);
    return m ? +m[1] : null;
  };
  // the canvas widget marks the step it has drawn on its root element
  const paintedEl = () => { const r = root(); return r && (r.matches("[data-painted-step]") ? r : r.querySelector("[data-painted-step]")); };
  const imgs = () => Array.from(root().querySelectorAll("img"));
  const recipeOk = (k) => {
    const r = root().querySelector(".sl-recipe") || Array.from(root().querySelectorAll(".widget-htmlmath")).pop();
    if (!r) return true;
    const txt = r.textContent;
    return txt.includes(`Step ${k}`) && !txt.includes("$$");
  };
  const pictureOk = (k, srcs) => {
    const painted = paintedEl();
    if (painted) return painted.dataset.paintedStep === String(k);
    // today's widget: three <img>; the kernel sends main, simplex, loss in that order, and
    // an image whose bytes did not change is not re-sent, so the loss panel (which
    // changes on every step) arriving means the whole picture has arrived
    const all = imgs();
    return all.length > 0 && all[all.length - 1].src !== srcs[all.length - 1];
  };
  // cb(time after the paint, step on screen in that frame): the step is read in the
  // animation-frame callback, i.e. what this frame paints
  // A DOM change made inside an animation-frame callback is painted in that same frame: the
  // after-paint task is posted at once.  Any other change is painted in the next frame.
  // inRaf is true from the first animation-frame callback of a frame until a task posted
  // then runs (after the paint), so it covers the callbacks' microtasks (MutationObserver) too.
  let inRaf = false;
  const origRaf = window.requestAnimationFrame.bind(window);
  const endRaf = new MessageChannel();
  endRaf.port1.onmessage = () => { inRaf = false; };
  window.requestAnimationFrame = (fn) => origRaf((t) => {
    if (!inRaf) { inRaf = true; endRaf.port2.postMessage(0); }
    fn(t);
  });
  const afterPaint = (cb) => {
    const post = () => {
      const k = shownStep();
      const ch = new MessageChannel();
      ch.port1.onmessage = () => cb(performance.now(), k);
      ch.port2.postMessage(0);
    };
    if (inRaf) post(); else origRaf(post);
  };
  const split = (req, paint, t0) => {
    if (!req || req.busy == null || req.idle == null) return {};
    const last = Math.max(req.lastArrive || 0, req.idleArrive || 0);
    const kernel = req.idle - req.busy;
    const browser = paint - (req.lastArrive || last);
    return { kernel, browser, transfer: paint - t0 - kernel - browser };
  };

  // ---- one click (next / back): arm, click, wait for done
  S.arm = (kind, k) => {
    S.pending = { kind, k, t0: null, srcs: paintedEl() ? [] : imgs().map((i) => i.src), marks: {} };
  };
  document.addEventListener("click", (ev) => {
    const p = S.pending;
    if (p && p.t0 === null && root() && root().contains(ev.target)) {
      p.t0 = performance.now(); p.sendIdx = S.sends.length; p.ahead0 = +(root().dataset.lookahead || 0);
    }
    if (S.play && S.play.click0 == null && !S.play.armPause && root() && root().contains(ev.target)) S.play.click0 = performance.now();
    if (S.play && S.play.armPause && root() && root().contains(ev.target)) {
      S.play.pauseAt = performance.now();
      S.play.stepAtPause = S.play.lastPainted;
      S.play.armPause = false;
    }
  }, true);

  let checking = false;
  const check = async () => {
    const p = S.pending;
    if (p && p.t0 !== null && !p.done && !checking) {
      const now = performance.now();
      if (p.marks.text == null && shownStep() === p.k) p.marks.text = now - p.t0;
      if (p.marks.picture == null && pictureOk(p.k, p.srcs)) p.marks.picture = now - p.t0;
      if (p.marks.math == null && recipeOk(p.k)) p.marks.math = now - p.t0;
      if (p.marks.text != null && p.marks.picture != null && p.marks.math != null) {
        p.done = true;
        checking = true;
        try { await Promise.all(imgs().map((i) => i.decode().catch(() => null))); } finally { checking = false; }
        p.marks.decoded = performance.now() - p.t0;
        afterPaint((t) => {
          const req = S.sends[p.sendIdx];
          const ahead = +(root().dataset.lookahead || 0) > p.ahead0;
          // painted from the look-ahead: the kernel's answer is not on the path; record when it came
          // (req's answer times are filled in when the answer comes: read by S.finish)
          const info = ahead ? { ahead, req, t0: p.t0 } : { ahead, ...split(req, t, p.t0) };
          S.runs.push({ kind: p.kind, k: p.k, total: t - p.t0, script: +(root().dataset.paintMs || NaN), ...p.marks, ...info });
          S.pending = null;
        });
      }
    }
    const q = S.play;
    if (q && !q.stopped) {
      const k = shownStep();
      if (paintedEl() && k != null && k !== q.seen && pictureOk(k, q.srcs) && recipeOk(k)) {
        // the canvas widget: numbers and picture change in one task; every change is timed to
        // its own paint, none waits for the one before
        q.seen = k;
        afterPaint((t, painted) => {
          if (painted !== k) return;  // overwritten before it reached the screen
          q.painted.push({ k, t, script: +(root().dataset.paintMs || NaN) });
          q.lastPainted = k;
        });
      } else if (!paintedEl() && k != null && k !== q.lastPainted && pictureOk(k, q.srcs) && recipeOk(k) && !q.waiting) {
        q.waiting = true;
        await Promise.all(imgs().map((i) => i.decode().catch(() => null)));
        afterPaint((t, painted) => {
          q.waiting = false;
          if (painted !== k) { check(); return; }  // overwritten before it reached the screen
          q.painted.push({ k, t, script: +(root().dataset.paintMs || NaN) });
          q.lastPainted = k;
          q.srcs = paintedEl() ? [] : imgs().map((i) => i.src);
          check();
        });
      }
    }
  };
  const obs = new MutationObserver(() => { check(); });
  S.observe = () => obs.observe(root(), { subtree: true, childList: true, characterData: true, attributes: true });

  // ---- play: record every painted step until stopped
  S.startPlay = () => {
    S.play = { painted: [], lastPainted: shownStep(), seen: shownStep(), srcs: paintedEl() ? [] : imgs().map((i) => i.src), sendIdx: S.sends.length, t0: performance.now() };
  };
  // the next / back runs, with the arrival of the kernel's answer to clicks painted ahead of it
  S.finish = () => S.runs.map(({ req, t0, ...r }) => (req ? { ...r, answer: req.idleArrive != null ? req.idleArrive - t0 : null,
    kernel: req.idle != null && req.busy != null ? req.idle - req.busy : null } : r));
  S.armPause = () => { S.play.armPause = true; };
  S.playReport = () => {
    const q = S.play;
    q.stopped = true;
    const sends = S.sends.slice(q.sendIdx).filter((s) => s.target != null);
    const byTarget = {};
    for (const s of sends) if (!(s.target in byTarget)) byTarget[s.target] = s;
    const lat = [];
    for (const { k, t } of q.painted) {
      const req = byTarget[k];
      if (req && req.t < t) lat.push({ k, total: t - req.t, answer: req.idleArrive ? req.idleArrive - req.t : null, ...split(req, t, req.t) });
    }
    return { painted: q.painted, latencies: lat, stepAtPause: q.stepAtPause, pauseAt: q.pauseAt,
             finalStep: shownStep(), t0: q.t0, click0: q.click0,
             mismatches: +(root().dataset.mismatches || 0), lookahead: +(root().dataset.lookahead || 0) };
  };
})();
