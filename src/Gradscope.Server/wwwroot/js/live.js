// Follows a run's Server-Sent Events: one "step" event per recorded step, then "end". Returns the
// function that stops following (the page's cleanup).
import { runPath } from "./api.js";

export function follow(id, from, { onStep, onEnd }) {
  const source = new EventSource(`${runPath(id)}/stream?from=${from}`);
  let closed = false;
  source.addEventListener("step", e => { if (!closed) onStep(JSON.parse(e.data)); });
  source.addEventListener("end", e => {
    closed = true;
    source.close();
    onEnd(e.data ? JSON.parse(e.data) : {});
  });
  return () => { closed = true; source.close(); };
}
