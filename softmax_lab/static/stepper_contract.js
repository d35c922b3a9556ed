// softmax-lab stepper: the frame contract on the browser's side (pure functions, no DOM).
//
// The contract itself is written once, in Python: softmax_lab/frame.py (CONTRACT and its
// module docstring).  validate() checks an object against that CONTRACT (node --test runs it
// on frames Python made); the loss functions keep the loss history the browser has, since a
// frame carries only the values from `loss.start` on (see frame.py, "send what changed").

const TYPES = {
  int: (v) => Number.isInteger(v),
  number: (v) => typeof v === "number" && Number.isFinite(v),
  bool: (v) => typeof v === "boolean",
  str: (v) => typeof v === "string",
  html: (v) => typeof v === "string",
  list: (v) => Array.isArray(v),
  dict: (v) => v !== null && typeof v === "object" && !Array.isArray(v),
};

// throws an Error naming the field that breaks `spec` (CONTRACT[part] from Python)
export function validate(obj, spec, where = "frame") {
  if (!TYPES.dict(obj)) throw new Error(`${where}: expected an object`);
  const known = new Set();
  for (const [name, rule] of Object.entries(spec)) {
    const optional = name.endsWith("?"), key = optional ? name.slice(0, -1) : name;
    known.add(key);
    if (!(key in obj)) {
      if (optional) continue;
      throw new Error(`${where}: field '${key}' is missing`);
    }
    const value = obj[key];
    if (!Array.isArray(rule)) { validate(value, rule, `${where}.${key}`); continue; }
    const types = rule[0].split("|");
    if (value === null && types.includes("null")) continue;
    if (!types.some((t) => t !== "null" && TYPES[t](value))) throw new Error(`${where}: field '${key}' should be ${rule[0]}`);
  }
  const extra = Object.keys(obj).filter((k) => !known.has(k));
  if (extra.length) throw new Error(`${where}: fields ${extra.join(", ")} are not in the contract`);
  return true;
}

// ---- the loss history this view has: values and their chain hashes, index i = update i + 1
export const newLossStore = () => ({ batch: [], train: [], hashes: [] });

// Take the frame's loss values into the store.  True when the store now holds the frame's
// whole history; false (store unchanged) when it lacks the values before `loss.start`:
// the view then asks Python for the history (the "history" message).
export function mergeLoss(store, loss) {
  const { start } = loss;
  if (start > store.hashes.length || (start > 0 && store.hashes[start - 1] !== loss.base)) return false;
  for (const k of ["batch", "train", "hashes"]) { store[k].length = start; store[k].push(...loss[k]); }
  return store.hashes.length === loss.n;
}

// the answer to the "history" message: the whole history
export function setHistory(store, msg) {
  for (const k of ["batch", "train", "hashes"]) store[k] = msg[k].slice();
}
