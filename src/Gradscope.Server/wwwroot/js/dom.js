// Small helpers to build elements without innerHTML (no markup injection from run names or messages).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

export const panel = (title, ...children) => el("section", { class: "panel", "aria-label": title }, el("h2", { text: title }), ...children);

export const errorBox = error => el("div", { class: "error-box", role: "alert", text: error && error.message ? error.message : String(error) });

export function select(label, options, value, onchange, attrs = {}) {
  const box = el("select", { ...attrs, onchange: e => onchange(e.target.value) },
    options.map(o => (typeof o === "string" ? [o, o] : o)).map(([v, text]) => el("option", { value: v, text, selected: v === value })));
  return el("label", {}, label, box);
}

export const statusBadge = status => el("span", { class: "status " + (status || ""), text: status || "?" });

// Calls fn at most once per `interval` ms (and on an animation frame), with the latest arguments:
// a live run can send hundreds of steps a second, the page redraws a few times a second.
export function throttled(fn, interval = 250) {
  let pending = false, last = 0, args = [];
  return (...a) => {
    args = a;
    if (pending) return;
    pending = true;
    setTimeout(() => requestAnimationFrame(() => { pending = false; last = performance.now(); fn(...args); }), Math.max(0, interval - (performance.now() - last)));
  };
}
