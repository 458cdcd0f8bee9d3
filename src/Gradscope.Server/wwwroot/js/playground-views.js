// The playground's pictures of the model itself: the decision boundary over the input plane, the
// "squashing" view (the input grid's image after each layer) and a layer's sensitivity.
import { axes, fmt, frame, runColor, scale, surface, message } from "./charts.js";
import { drawBars } from "./lines.js";

const pick = (o, ...names) => { for (const n of names) if (o && o[n] !== undefined) return o[n]; return undefined; };
const hex = c => [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];

export function drawBoundary(canvas, b) {
  const grid = b.grid, probs = b.probabilities || [];
  const x0 = pick(b, "x_min", "xMin"), x1 = pick(b, "x_max", "xMax"), y0 = pick(b, "y_min", "yMin"), y1 = pick(b, "y_max", "yMax");
  const side = Math.min(420, Math.max(260, canvas.parentElement.clientWidth || 300));
  const f = frame(surface(canvas, side, side, side), { left: 36, right: 8, top: 8, bottom: 38 });
  const x = scale(x0, x1, f.left, f.right), y = scale(y0, y1, f.bottom, f.top);
  const cw = (f.right - f.left) / grid, ch = (f.bottom - f.top) / grid;
  for (let r = 0; r < grid; r++) for (let c = 0; c < grid; c++) {
    const p = probs[r * grid + c] || [];
    let best = 0;
    for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
    const [R, G, B] = hex(runColor(best)), a = 0.15 + 0.55 * Math.max(0, ((p[best] ?? 0) - 1 / Math.max(2, p.length)) / (1 - 1 / Math.max(2, p.length)));
    f.ctx.fillStyle = `rgba(${R},${G},${B},${a.toFixed(3)})`;
    f.ctx.fillRect(f.left + c * cw, f.bottom - (r + 1) * ch, Math.ceil(cw), Math.ceil(ch));
  }
  const points = b.points || [], labels = b.labels || [];
  for (let i = 0; i < points.length; i += Math.max(1, Math.floor(points.length / 600))) {
    f.ctx.fillStyle = runColor(labels[i] || 0);
    f.ctx.beginPath(); f.ctx.arc(x(points[i][0]), y(points[i][1]), 2.2, 0, 2 * Math.PI); f.ctx.fill();
  }
  axes(f, x, y, { xTitle: `decision boundary at step ${b.step}` });
  canvas.dataset.step = String(b.step);
}

// Small multiples, one per layer (at most 24, evenly chosen); a click picks the layer.
export function drawSquashing(box, view, onLayer) {
  const layers = view.layers || [];
  if (!layers.length) { box.replaceChildren(); return; }
  const every = Math.max(1, Math.ceil(layers.length / 24));
  const shown = layers.filter((_, i) => i % every === 0 || i === layers.length - 1);
  const grid = view.grid;
  box.replaceChildren(...shown.map(layer => {
    const canvas = document.createElement("canvas");
    canvas.className = "chart squash";
    const button = document.createElement("button");
    button.className = "squash-layer";
    button.dataset.layer = String(layer.layer);
    button.title = `Layer ${layer.layer} (${layer.name}): spread ${fmt(layer.spread)} of the input's. Click for its sensitivity.`;
    button.setAttribute("aria-label", button.title);
    button.append(canvas, Object.assign(document.createElement("div"), { className: "legend", textContent: `${layer.layer} · ${fmt(layer.spread)}` }));
    button.addEventListener("click", () => onLayer(layer.layer));
    requestAnimationFrame(() => paintLayer(canvas, layer, grid));
    return button;
  }));
}

function paintLayer(canvas, layer, grid) {
  const pts = layer.points || [];
  const s = surface(canvas, 110, 110, 110);
  let lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
  for (const p of pts) for (let d = 0; d < 2; d++) if (Number.isFinite(p[d])) { lo[d] = Math.min(lo[d], p[d]); hi[d] = Math.max(hi[d], p[d]); }
  const span = Math.max(hi[0] - lo[0], hi[1] - lo[1], 1e-12);
  const x = scale(lo[0] - span * 0.05, lo[0] + span * 1.05, 4, s.width - 4), y = scale(lo[1] - span * 0.05, lo[1] + span * 1.05, s.height - 4, 4);
  pts.forEach((p, i) => {
    const r = Math.floor(i / grid), c = i % grid;
    s.ctx.fillStyle = `hsl(${Math.round((c / Math.max(1, grid - 1)) * 300)},70%,${Math.round(30 + (r / Math.max(1, grid - 1)) * 40)}%)`;
    s.ctx.fillRect(x(p[0]) - 1.5, y(p[1]) - 1.5, 3, 3);
  });
}

export function drawSensitivity(canvas, text, result) {
  if (!result) return message(canvas, "Click a layer above to measure how far the output moves when its weights are perturbed.");
  const byLayer = pick(result, "by_layer", "byLayer") || [];
  drawBars(canvas, byLayer.map((v, i) => ({ label: String(i + 1), title: `layer ${i + 1}`, value: v, color: i + 1 === result.layer ? "#ff3b30" : "#2a5bd7" })),
    { log: true, yTitle: "output change / ε (log)", name: "output change / ε", height: 200 });
  text.textContent = `Layer ${result.layer}: perturbing its weights by ε = ${fmt(result.epsilon)} moves the output by ${fmt(pick(result, "output_change", "outputChange"))} × ε (RMS over the grid).`;
}
