// The layers x steps heatmap of log10 of a per-layer statistic, drawn into an ImageData one pixel
// column at a time (fast for 100 layers x thousands of steps), with a tooltip, click to pick a
// (layer, step), drag to brush a step range, and double-click or Escape to reset the range.
import { axes, colorAt, frame, hideTip, log10, fmt, scale, showTip, surface, ZERO_COLOR, NON_FINITE_COLOR, MISSING_COLOR } from "./charts.js";

export const heatmapHeight = layers => Math.max(220, Math.min(620, 50 + layers * 16));
const MARGIN = { left: 120, right: 16, top: 8, bottom: 38 };

function rgb(css) {
  const m = /rgb\((\d+),(\d+),(\d+)\)/.exec(css);
  if (m) return [+m[1], +m[2], +m[3]];
  const h = css.replace("#", "");
  const full = h.length === 3 ? [...h].map(c => c + c).join("") : h;
  return [parseInt(full.slice(0, 2), 16), parseInt(full.slice(2, 4), 16), parseInt(full.slice(4, 6), 16)];
}
const PALETTE = Array.from({ length: 256 }, (_, i) => rgb(colorAt(i / 255)));
const ZERO = rgb(ZERO_COLOR), BAD = rgb(NON_FINITE_COLOR), NONE = rgb(MISSING_COLOR);

// The index of the last step <= s in the ascending steps array (or -1).
export function columnAt(steps, s) {
  let lo = 0, hi = steps.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] <= s) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

// One colour per (column, layer) cell, looked up once per pixel column (not per pixel).
function cellColor(raw, m, span) {
  const v = log10(raw);
  return raw === undefined ? NONE : v === -Infinity ? ZERO : Number.isFinite(v) ? PALETTE[Math.max(0, Math.min(255, Math.round(((v - m.vmin) / span) * 255)))] : BAD;
}

function paint(f, m, x, L) {
  const w = Math.max(1, Math.round(f.right - f.left)), h = Math.max(1, Math.round(f.bottom - f.top));
  const image = f.ctx.createImageData(w, h), px = image.data;
  const span = m.vmax - m.vmin || 1;
  const rowLayer = new Int32Array(h);
  for (let row = 0; row < h; row++) rowLayer[row] = Math.min(L - 1, Math.floor(((h - row - 0.5) / h) * L));
  const colors = new Array(L);
  let previous = -2;
  for (let i = 0; i < w; i++) {
    const c = columnAt(m.steps, x.invert(f.left + i + 0.5));
    if (c !== previous) {
      const values = c < 0 ? null : m.values[c];
      for (let l = 0; l < L; l++) colors[l] = cellColor(values ? values[l] : undefined, m, span);
      previous = c;
    }
    for (let row = 0; row < h; row++) {
      const color = colors[rowLayer[row]], o = (row * w + i) * 4;
      px[o] = color[0]; px[o + 1] = color[1]; px[o + 2] = color[2]; px[o + 3] = 255;
    }
  }
  // putImageData ignores the transform: place it in device pixels through a scratch canvas.
  const scratch = document.createElement("canvas");
  scratch.width = w; scratch.height = h;
  scratch.getContext("2d").putImageData(image, 0, 0);
  f.ctx.imageSmoothingEnabled = false;
  f.ctx.drawImage(scratch, f.left, f.top, f.right - f.left, f.bottom - f.top);
}

export function drawHeatmap(canvas, m) {
  const L = m.layers.length;
  const f = frame(surface(canvas, heatmapHeight(L)), MARGIN);
  const x = scale(m.domain[0], m.domain[1], f.left, f.right), y = scale(0, L, f.bottom, f.top);
  if (L > 0 && m.steps.length > 0) paint(f, m, x, L);
  const ctx = f.ctx;
  const h = m.layers.findIndex(layer => layer.layer === m.highlight);
  if (h >= 0) {
    ctx.strokeStyle = "#fff"; ctx.lineWidth = 2;
    ctx.strokeRect(f.left + 1, y(h + 1), f.right - f.left - 2, y(h) - y(h + 1));
    ctx.strokeStyle = "#ff3b30"; ctx.lineWidth = 1;
    ctx.strokeRect(f.left + 2.5, y(h + 1) + 1.5, f.right - f.left - 5, y(h) - y(h + 1) - 3);
  }
  if (m.marker !== undefined && m.marker !== null) {
    ctx.fillStyle = "#ff3b30";
    ctx.fillRect(Math.round(x(m.marker)), f.top, 1.5, f.bottom - f.top);
  }
  const every = Math.max(1, Math.ceil(14 / ((f.bottom - f.top) / Math.max(1, L))));
  const yTicks = [];
  for (let l = 0; l < L; l += every) yTicks.push(l + 0.5);
  axes(f, x, y, {
    yTicks,
    yFormat: t => { const layer = m.layers[Math.floor(t)]; return `${layer.layer} (${layer.name})`.slice(0, 17); },
    xTitle: "training step (drag to zoom, double-click to reset)",
  });
  Object.assign(canvas.dataset, { vmin: String(m.vmin), vmax: String(m.vmax), quantity: m.quantity, columns: String(m.steps.length),
    layers: String(L), lastStep: String(m.steps.length ? m.steps[m.steps.length - 1] : -1), highlight: h >= 0 ? String(m.highlight) : "" });
  canvas.geom = { f, x, y, m, L };
}

// Wires the pointer and keyboard once; the callbacks get layer numbers and steps.
export function interactive(canvas, { onPick, onBrush, onReset }) {
  canvas.tabIndex = 0;
  const band = document.createElement("div");
  band.className = "selection"; band.hidden = true;
  canvas.parentElement.appendChild(band);
  let start = null;
  const px = e => e.clientX - canvas.getBoundingClientRect().left;
  const cell = e => {
    const g = canvas.geom, r = canvas.getBoundingClientRect(), cx = e.clientX - r.left, cy = e.clientY - r.top;
    if (!g || cx < g.f.left || cx > g.f.right || cy < g.f.top || cy > g.f.bottom) return null;
    const l = Math.min(g.L - 1, Math.max(0, Math.floor(g.y.invert(cy))));
    const c = columnAt(g.m.steps, g.x.invert(cx));
    return c < 0 ? null : { l, c, layer: g.m.layers[l], step: g.m.steps[c], value: g.m.values[c] ? g.m.values[c][l] : undefined };
  };
  canvas.addEventListener("mousedown", e => { if (canvas.geom) start = px(e); });
  window.addEventListener("mousemove", e => {
    if (start === null) return;
    const a = Math.min(start, px(e)), b = Math.max(start, px(e));
    Object.assign(band.style, { left: canvas.offsetLeft + a + "px", width: b - a + "px", top: canvas.offsetTop + "px", height: canvas.offsetHeight + "px" });
    band.hidden = b - a < 4;
  });
  window.addEventListener("mouseup", e => {
    if (start === null) return;
    const a = Math.min(start, px(e)), b = Math.max(start, px(e)), g = canvas.geom;
    start = null; band.hidden = true;
    if (b - a >= 4) onBrush && onBrush(Math.max(0, Math.floor(g.x.invert(a))), Math.ceil(g.x.invert(b)));
    else { const hit = cell(e); if (hit && onPick) onPick(hit.layer.layer, hit.step); }
  });
  canvas.addEventListener("dblclick", () => onReset && onReset());
  canvas.addEventListener("keydown", e => { if ((e.key === "Escape" || e.key === "Home") && onReset) onReset(); });
  canvas.addEventListener("mouseleave", hideTip);
  canvas.addEventListener("mousemove", e => {
    const hit = cell(e);
    if (!hit) return hideTip();
    const q = canvas.geom.m.quantity;
    showTip(e, [`layer ${hit.layer.layer} (${hit.layer.name})`, `step ${hit.step}`, `${q} = ${fmt(hit.value)}`, `log10 ${q} = ${fmt(log10(hit.value))}`]);
  });
}

// The colour bar under a heatmap: log10 values from vmin to vmax.
export function drawColorbar(canvas, vmin, vmax, title) {
  const f = frame(surface(canvas, 50), { left: MARGIN.left, right: MARGIN.right, top: 4, bottom: 30 });
  for (let p = f.left; p < f.right; p++) {
    f.ctx.fillStyle = colorAt((p - f.left) / (f.right - f.left));
    f.ctx.fillRect(p, f.top, 1.5, f.bottom - f.top);
  }
  axes(f, scale(vmin, vmax, f.left, f.right), scale(0, 1, f.bottom, f.top), { yTicks: [], xTitle: title });
  Object.assign(canvas.dataset, { vmin: String(vmin), vmax: String(vmax) });
}
