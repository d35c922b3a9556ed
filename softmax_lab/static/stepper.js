// softmax-lab stepper: the browser half (an anywidget ES module; Python joins the
// stepper_*.js modules before it into one, see widgets.esm_bundle).
//
// Wiring and drawing only.  Every number and word on screen arrives in the frame Python
// makes (softmax_lab/frame.py holds the contract); the panels are drawn by stepper_draw.js.
// The controls are synced traits (model.set / change:...); messages carry the step
// protocol only: press, play, pause, history.
//
// A click on next / back is painted at once from the look-ahead frame the kernel sent with
// the frame on screen, then sent to the kernel, whose answer replaces the picture unless it
// is the same (same key).  Play is clocked here: the kernel runs up to static.play_ahead
// steps ahead, the answers are painted one per interval in animation frames, and pause sends
// the step on screen, to which the kernel goes back exactly.

import { newLossStore, mergeLoss, setHistory } from "./stepper_contract.js";
import { fontSize, panelSizes } from "./stepper_layout.js";
import { drawPanel } from "./stepper_draw.js";
import { keyAction } from "./stepper_keys.js";

const h = (tag, props = {}, ...kids) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v);
  }
  el.append(...kids);
  return el;
};

// a canvas sized in CSS pixels, drawn at devicePixelRatio
function prepare(canvas, w, hh) {
  const dpr = window.devicePixelRatio || 1;
  const W = Math.max(1, Math.round(w * dpr)), H = Math.max(1, Math.round(hh * dpr));
  if (canvas.width !== W || canvas.height !== H) { canvas.width = W; canvas.height = H; }
  canvas.style.width = `${w}px`;
  canvas.style.height = `${hh}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

// a task of its own (after the current one, and after the paint when posted from an animation frame)
const postTask = (fn) => { const ch = new MessageChannel(); ch.port1.onmessage = fn; ch.port2.postMessage(0); };

// ---- the DOM: controls (labels from static.labels), status, live region, panels, recipe
function build(st) {
  const L = st.labels;
  const btn = (action, text, tip) => h("button", { class: "sl-btn", dataset: { action }, title: tip, type: "button" }, text);
  const c = {
    reset: btn("reset", L.reset, "back to step 0 (the starting θ)"),
    back: btn("back", L.back, "undo the last update exactly (key ←)"),
    next: btn("next", L.next, "make one update, the 5-step recipe (key →)"),
    play: btn("play", L.play, "keep stepping, one update per tick (space)"),
    pause: btn("pause", L.pause, "stop exactly at the step on screen (space)"),
    speed: h("select", { class: "sl-speed" }, ...st.speeds.map((ms) => h("option", { value: ms }, `${ms} ${L.speed_unit}`))),
    present: h("input", { type: "checkbox", class: "sl-present-box" }),
    lr: h("input", { type: "range", min: String(Math.log10(st.lr_range[0])), max: String(Math.log10(st.lr_range[1])), step: "0.05", class: "sl-lr" }),
    lrText: h("input", { type: "text", class: "sl-lr-text", size: "7", "aria-label": `${L.lr}, exact value`, title: "type a learning rate and press Enter" }),
    mode: h("select", { class: "sl-mode" }, ...st.modes.map(([label, v]) => h("option", { value: v }, label))),
    bs: h("input", { type: "number", min: "2", max: String(st.batch_size_max), class: "sl-bs", "aria-label": "s, samples per mini-batch" }),
    shuffle: h("input", { type: "checkbox", class: "sl-shuffle" }),
    seed: h("input", { type: "text", class: "sl-seed", size: "6", placeholder: "none" }),
    sample: h("select", { class: "sl-sample" }, ...st.sample_options.map(([label, v]) => h("option", { value: v }, label))),
  };
  c.next.classList.add("sl-primary");
  c.pause.hidden = true;
  const status = h("div", { class: "sl-status" });
  const live = h("div", { class: "sl-live", role: "status", "aria-live": "polite", "aria-atomic": "true" });
  const note = h("div", { class: "sl-note" });
  const recipe = h("div", { class: "sl-recipe" });
  const canvases = {}, cells = [];
  for (const key of st.panels) {
    canvases[key] = h("canvas", { class: `sl-canvas sl-canvas-${key}`, role: "img", "aria-label": key });
    cells.push(h("div", { class: `sl-cell sl-cell-${key}` }, canvases[key]));
  }
  // the pictures can take the focus: then ← → step and space plays, without a button focused
  const panels = h("div", { class: "sl-panels sl-card", tabindex: "0", role: "group",
    "aria-label": "pictures of the current step (keys: ← back, → next, space play or pause)" }, ...cells);
  const root = h("div", { class: "softmax-lab-stepper sl-root", role: "region",
    "aria-label": st.title ? `training stepper: ${st.title}` : "training stepper" },
  ...(st.title ? [h("div", { class: "sl-title" }, st.title)] : []),
  h("div", { class: "sl-controls" },
    h("div", { class: "sl-bar" }, c.reset, c.back, c.next, c.play, c.pause,
      h("label", {}, h("span", { class: "sl-word" }, `${L.speed} `), c.speed),
      h("label", { class: "sl-check", title: "large text, whole stepper on one screen" }, c.present, ` ${L.presentation}`)),
    h("div", { class: "sl-bar sl-knobs" },
      h("label", {}, `${L.lr} `, c.lr), c.lrText,
      h("label", {}, `${L.mode} `, c.mode),
      h("label", { class: "sl-bs-label" }, `${L.batch_size} `, c.bs),
      h("label", { class: "sl-check" }, c.shuffle, ` ${L.shuffle}`),
      h("label", {}, `${L.seed} `, c.seed),
      h("label", {}, `${L.sample} `, c.sample))),
  status, live, note,
  h("div", { class: "sl-body" }, panels, recipe));
  return { root, c, status, live, note, recipe, canvases, panels };
}

// ---- the controls follow the traits (and the frame's notes); a change sets a trait
function bindControls(model, ui, beforeChange) {
  const { c } = ui;
  const show = () => {
    const lr = +model.get("lr");
    c.lr.value = String(Math.log10(lr));
    if (document.activeElement !== c.lrText) c.lrText.value = String(+lr.toPrecision(3));
    c.mode.value = model.get("mode");
    c.bs.disabled = model.get("mode") !== "mini-batch";
    c.shuffle.checked = !!model.get("shuffle");
    c.sample.value = String(model.get("sample"));
    c.speed.value = String(model.get("interval_ms"));
    c.present.checked = !!model.get("presentation");
  };
  const notes = (ctl) => {  // the parts of the frame that describe controls
    if (document.activeElement !== c.seed) c.seed.value = ctl.seed_text;
    c.seed.title = ctl.seed_note;
    c.lr.title = ctl.lr_note || "learning rate (log scale)";
    c.bs.value = String(ctl.batch_size_shown);
  };
  const set = (name, value) => { beforeChange(name); model.set(name, value); model.save_changes(); };
  // a typed value goes to Python as a number when it reads as one, else as typed: Python's
  // validators decide (and say why they refuse it)
  const typed = (text) => { const t = text.trim(), v = Number(t); return t !== "" && Number.isFinite(v) ? v : t; };
  c.lr.addEventListener("change", () => set("lr", +Math.pow(10, +c.lr.value).toPrecision(3)));
  c.lrText.addEventListener("change", () => set("lr", typed(c.lrText.value)));
  c.mode.addEventListener("change", () => set("mode", c.mode.value));
  c.bs.addEventListener("change", () => set("batch_size", typed(c.bs.value)));
  c.shuffle.addEventListener("change", () => set("shuffle", c.shuffle.checked));
  c.seed.addEventListener("change", () => { const t = c.seed.value.trim(); set("seed", t === "" ? null : typed(t)); });
  c.sample.addEventListener("change", () => set("sample", +c.sample.value));
  c.speed.addEventListener("change", () => set("interval_ms", +c.speed.value));
  c.present.addEventListener("change", () => set("presentation", c.present.checked));
  for (const name of ["lr", "mode", "batch_size", "shuffle", "seed", "sample", "interval_ms", "presentation"]) model.on(`change:${name}`, show);
  show();
  return { notes };
}

// ---- painting: a frame on screen (status, note, recipe, panels, live region, loss history)
function makePainter(S) {
  const { model, el, st, ui } = S;
  const { root, canvases, panels } = ui;
  const loss = newLossStore();
  let historyAsked = false;
  const presenting = () => root.classList.contains("sl-presentation");
  // JupyterLab 4 / Notebook 7 scroll the notebook in .jp-WindowedPanel-outer; elsewhere the window
  const availableHeight = () => {
    const scroller = el.closest(".jp-WindowedPanel-outer");
    return Math.max(360, (scroller ? scroller.clientHeight : window.innerHeight) - 24);
  };
  // sizes: fixed in the notebook; in presentation, the screen that is left
  const draw = () => {
    if (!S.current) return;
    const pres = presenting();
    root.style.height = pres ? `${availableHeight()}px` : "";
    // the card's inner box (clientWidth/Height include its 4 px padding), less a pixel of slack
    const sizes = panelSizes(st.panels, st.n_features, pres, panels.clientWidth - 9, panels.clientHeight - 9);
    const f = fontSize(pres);
    for (const key of st.panels) {
      const [w, hh] = sizes[key];
      drawPanel(prepare(canvases[key], w, hh), key, w, hh, f, st, S.current, loss);
    }
  };
  // the live region: every step outside play; while playing at most one a second
  let lastSpoken = -1e9;
  const announce = (fr) => {
    const now = performance.now();
    if (S.playing && now - lastSpoken < 1000) return;
    lastSpoken = now;
    ui.live.textContent = fr.announce;
  };
  // a task posted from an animation-frame callback runs after that frame's paint
  const afterPaint = (cb, inFrame) => (inFrame ? postTask(cb) : requestAnimationFrame(() => postTask(cb)));
  // only what changed is written: an unchanged note or control text costs the frame nothing
  let shownNote = null, shownControls = null, recipeMode = null, recipeFloor = 0;
  // paint() puts a frame on screen in the current task; the step counts as on screen
  // (S.paintedStep, data-screen-step) once the frame that shows it was painted
  const paint = (fr, inFrame = false) => {
    const t0 = performance.now();
    S.current = fr;
    if (!mergeLoss(loss, fr.loss) && !historyAsked) { historyAsked = true; S.send({ event: "history" }); }
    ui.status.innerHTML = fr.status_html;
    if (fr.note_html !== shownNote) { ui.note.innerHTML = fr.note_html; shownNote = fr.note_html; }
    ui.recipe.innerHTML = fr.recipe_html;
    const ctl = JSON.stringify(fr.controls);
    if (ctl !== shownControls) { S.controls.notes(fr.controls); shownControls = ctl; }
    ui.c.back.disabled = fr.step === 0;
    for (const key of st.panels) if (canvases[key].getAttribute("aria-label") !== fr[key].aria) canvases[key].setAttribute("aria-label", fr[key].aria);
    draw();
    announce(fr);
    root.dataset.paintedStep = String(fr.step);
    root.dataset.paintMs = (performance.now() - t0).toFixed(1);  // the script's share of a paint (bench)
    afterPaint(() => {
      S.paintedStep = fr.step; root.dataset.screenStep = String(fr.step);
      // the recipe only grows within a mode, so the notebook below does not jump at every step
      // (and is not laid out again); read after the paint, when layout is clean and cheap
      const mode = `${model.get("mode")}/${model.get("batch_size")}/${presenting()}`;
      if (mode !== recipeMode || fr.step === 0) { recipeMode = mode; recipeFloor = 0; ui.recipe.style.minHeight = ""; }
      if (!presenting() && ui.recipe.offsetHeight > recipeFloor) {
        recipeFloor = ui.recipe.offsetHeight; ui.recipe.style.minHeight = `${recipeFloor}px`;
      }
    }, inFrame);
  };
  // the answer to the "history" message: the loss values this view lacked
  const history = (msg) => {
    setHistory(loss, msg); historyAsked = false;
    if (S.current) { mergeLoss(loss, S.current.loss); draw(); }
  };
  return { paint, draw, history, presenting };
}

// ---- play: the kernel runs up to static.play_ahead steps ahead of the screen, asked
// static.play_chunk steps per message; the answers wait in `buffer` and are painted on a fixed
// clock: step n is due at start + n × interval and is painted in the animation frame that
// starts nearest to its due time (each step is on screen for at least a frame).  Behind the
// clock (the kernel was slow), steps come every half interval until it is caught up; more than
// 4 intervals behind, the clock restarts.  Pause sends the step on screen and the kernel goes
// back to exactly it.
function makePlayer(S, painter) {
  const { model, st, ui } = S;
  const { c } = ui;
  const CHUNK = st.play_chunk, AHEAD = st.play_ahead;
  const inflight = new Map();  // seq -> steps asked for
  const buffer = [];
  let due = null, asked = 0, queuedStep = 0, rafId = 0, lastPaint = -1e9, lastFrame = 0, frameMs = 1000 / 60;
  const interval = () => +model.get("interval_ms") || 400;
  const topUp = () => {
    while (S.playing && asked + buffer.length + CHUNK <= AHEAD) {
      asked += CHUNK;
      inflight.set(S.send({ event: "play", count: CHUNK }), CHUNK);
    }
  };
  const clock = (now) => {
    if (!S.playing) return;
    rafId = requestAnimationFrame(clock);
    if (lastFrame && now - lastFrame < 50) frameMs = 0.9 * frameMs + 0.1 * (now - lastFrame);
    lastFrame = now;
    const iv = interval(), half = frameMs / 2;
    if (due === null || now - due > 4 * iv) due = now;  // the first frame after the click, or far behind: (re)start the clock
    if (buffer.length && now >= due - half && now >= lastPaint + iv / 2 - half) {
      const fr = buffer.shift();
      painter.paint(fr, true);
      lastPaint = now;
      due += iv;
      if (fr.error) { stop(true); return; }
    }
    postTask(topUp);  // after this frame is painted: the requests do not delay it
  };
  const swapFocus = (from, to) => { if (document.activeElement === from) to.focus(); };
  const start = () => {
    if (S.playing) return;
    const first = S.settled() && S.current.ahead;
    S.playing = true; c.play.hidden = true; c.pause.hidden = false; swapFocus(c.play, c.pause);
    queuedStep = S.current ? S.current.step : 0; asked = 0;
    if (first) {  // the first two steps are on their way already: the look-ahead
      for (const fr of [first, first.then].filter(Boolean)) { buffer.push({ ...fr, provisional: true }); queuedStep = fr.step; }
      S.countLookahead();
    }
    due = null; lastPaint = -1e9; lastFrame = 0;
    rafId = requestAnimationFrame(clock);
    topUp();  // at once: the second step is due one interval after the click
  };
  function stop(tell = true) {
    const wasPlaying = S.playing;
    S.playing = false; cancelAnimationFrame(rafId); c.play.hidden = false; c.pause.hidden = true; swapFocus(c.pause, c.play);
    inflight.clear(); asked = 0;  // answers still on their way are not drawn
    buffer.length = 0;
    // the step on screen (painted), not one drawn a moment ago and not yet painted
    if (tell) S.sendAndAwait({ event: "pause", step: S.paintedStep !== null ? S.paintedStep : S.current ? S.current.step : 0 });
    if (wasPlaying && S.current) ui.live.textContent = S.current.announce;  // where play stopped
  }
  // an answer to play: CHUNK steps, the last one's frame with the others in `earlier`
  const answer = (fr) => {
    if (!S.playing || !inflight.has(fr.seq)) return;  // asked for before pause / reset
    asked -= inflight.get(fr.seq);
    inflight.delete(fr.seq);
    for (const f of [...(fr.earlier || []), fr]) {
      if (f.step > queuedStep) { buffer.push(f); queuedStep = f.step; continue; }
      // the step was queued from the look-ahead: keep that unless the kernel's differs
      const i = buffer.findIndex((b) => b.step === f.step);
      const shown = i >= 0 ? buffer[i] : S.current && S.current.step === f.step ? S.current : null;
      if (shown && shown.key !== f.key) {
        S.countMismatch();
        if (i >= 0) buffer[i] = f; else painter.paint(f);
      }
    }
  };
  const cancel = () => { S.playing = false; cancelAnimationFrame(rafId); };
  return { start, stop, answer, cancel };
}

// ---- next / back before the kernel answers.  Outside play the kernel's frame carries `ahead`
// and `behind`: the next and the previous step, made by the TrainingStepper and put back
// exactly.  A click paints one of them at once when this view has no request unanswered (so
// they still describe the kernel's state); the kernel's answer, after it really stepped,
// replaces the picture unless its key (a digest of all that is shown) is the same.
// data-lookahead counts the clicks painted this way, data-mismatches the ones whose answer
// differed (never expected: both come from the same stepper).
function makeStepper(S, painter) {
  const { st, ui } = S;
  let provisionalSeq = null, stalled = false;
  const press = (name) => {
    const target = name === "next" ? S.current && S.current.ahead : S.current && S.current.behind;
    const useIt = S.settled() && target;
    const s = S.sendAndAwait({ event: "press", name });
    if (!useIt) return;
    S.countLookahead();
    provisionalSeq = s;
    painter.paint({ ...target, provisional: true, seq: s });
    // a busy or stopped kernel: say that the step on screen is not made yet
    setTimeout(() => {
      if (!S.awaiting.has(s) || !S.current || S.current.seq !== s) return;
      stalled = true;
      ui.note.innerHTML = "<span class='sl-error'>waiting for the kernel: this step was drawn from the " +
        "stepper's preview and is made when the kernel answers (is a cell still running?)</span>";
    }, st.stall_ms);
  };
  // the kernel's frame outside play
  const answer = (fr) => {
    for (const s of S.awaiting) if (s <= fr.seq) S.awaiting.delete(s);
    if (S.current && fr.key === S.current.key) {  // the picture on screen: keep it, take the new look-ahead
      S.current = fr;
      if (stalled) { stalled = false; ui.note.innerHTML = fr.note_html; }
      return;
    }
    stalled = false;
    if (provisionalSeq !== null && fr.seq === provisionalSeq) S.countMismatch();
    painter.paint(fr);
  };
  return { press, answer };
}

function render({ model, el }) {
  const st = model.get("static");
  const ui = build(st);
  const { root, c } = ui;
  el.append(root);
  // what the three jobs share.  Each view numbers its messages from its own random start, so
  // two views of one widget never take an answer to the other's message for their own.
  let seq = Math.floor(Math.random() * 1e12), lookahead = 0, mismatches = 0;
  const S = {
    model, el, st, ui, current: null, playing: false, paintedStep: null, awaiting: new Set(),
    send: (msg) => { seq += 1; model.send({ ...msg, seq }); return seq; },
    sendAndAwait: (msg) => { const s = S.send(msg); S.awaiting.add(s); return s; },
    settled: () => !S.playing && S.current && !S.current.provisional && S.awaiting.size === 0,
    countLookahead: () => { lookahead += 1; root.dataset.lookahead = String(lookahead); },
    countMismatch: () => { mismatches += 1; root.dataset.mismatches = String(mismatches); },
  };
  const painter = makePainter(S);
  const player = makePlayer(S, painter);
  const stepper = makeStepper(S, painter);
  // a control changed while playing pauses first (at the step on screen)
  S.controls = bindControls(model, ui, () => { if (S.playing) player.stop(true); });

  // A mouse press on a control stays in the widget: JupyterLab's notebook otherwise handles it
  // (activates the cell, moves focus), which re-styled the whole document for 70 ms in the
  // middle of play.  A button also keeps the focus where it was (keyboard users still reach it).
  root.querySelector(".sl-controls").addEventListener("mousedown", (ev) => {
    ev.stopPropagation();
    if (ev.target.closest("button")) ev.preventDefault();
  });

  // a click while playing pauses first (at the step on screen), then acts
  const act = {
    next: () => { if (S.playing) player.stop(true); stepper.press("next"); },
    back: () => { if (S.playing) player.stop(true); stepper.press("back"); },
    reset: () => { if (S.playing) player.stop(false); S.sendAndAwait({ event: "press", name: "reset" }); },
    play: () => (S.playing ? player.stop(true) : player.start()),
  };
  c.next.addEventListener("click", act.next);
  c.back.addEventListener("click", act.back);
  c.reset.addEventListener("click", act.reset);
  c.play.addEventListener("click", player.start);
  c.pause.addEventListener("click", () => player.stop(true));
  // keys while the widget has the focus (stepper_keys.js says which).  Taken on the window in
  // the capture phase: JupyterLab binds ← → in a notebook (to headings) and would see them
  // first; every other key (Ctrl+B, Shift+Enter, ...) still reaches JupyterLab.
  const onKey = (ev) => {
    if (!root.contains(ev.target)) return;
    const action = keyAction(ev);
    if (!action) return;
    ev.preventDefault(); ev.stopPropagation();
    if (action === "back" && S.current && S.current.step === 0) return;
    act[action]();
  };
  window.addEventListener("keydown", onKey, true);

  model.on("change:frame", () => { const fr = model.get("frame"); (fr.play ? player.answer : stepper.answer)(fr); });
  model.on("msg:custom", (msg) => { if (msg.event === "history") painter.history(msg); });
  model.on("change:presentation", () => { root.classList.toggle("sl-presentation", !!model.get("presentation")); painter.draw(); });
  const ro = new ResizeObserver(() => { if (painter.presenting()) painter.draw(); });
  ro.observe(root);
  const onResize = () => painter.draw();
  window.addEventListener("resize", onResize);
  root.classList.toggle("sl-presentation", !!model.get("presentation"));
  painter.paint(model.get("frame"));
  return () => {
    ro.disconnect(); window.removeEventListener("resize", onResize); window.removeEventListener("keydown", onKey, true);
    player.cancel();
  };
}

export default { render };
