// softmax-lab stepper: what a key does while the widget has the focus (pure, no DOM).
//
// ← back, → next, space play / pause.  Keys keep their own meaning where the focused control
// needs them: in a text or number box, a menu or the learning-rate slider (its arrows move it),
// and space / Enter on a button or checkbox (they press it).  Returns the action or null.
export function keyAction({ key, ctrlKey = false, altKey = false, metaKey = false, target = {} }) {
  if (ctrlKey || altKey || metaKey) return null;
  const tag = (target.tagName || "").toLowerCase(), type = (target.type || "").toLowerCase();
  if (tag === "select" || tag === "textarea" || (tag === "input" && type !== "checkbox")) return null;
  if (key === "ArrowRight") return "next";
  if (key === "ArrowLeft") return "back";
  if (key === " " || key === "Spacebar") return tag === "button" || tag === "input" ? null : "play";
  return null;
}
