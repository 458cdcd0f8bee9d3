// The run page's other panels: findings (evidence, layers that link to the heatmap, remedies),
// histograms over time for one layer, and the configuration.
import { api, runPath } from "./api.js";
import { el, panel } from "./dom.js";
import { axes, colorAt, fmt, frame, hideTip, message, scale, showTip, surface } from "./charts.js";

export function findingsPanel(findings, { onLayer, onRemedy }) {
  const body = findings.length ? findings.map((f, i) => el("article", { class: `finding ${f.severity}`, id: `finding-${i}` },
    el("h3", { text: `${f.kind} (${f.severity})` }),
    el("p", { text: f.cause || "" }),
    f.layers && f.layers.length ? el("div", { class: "layers" }, "Layers: ", f.layers.map(l => el("button", { class: "layer-link", "data-layer": String(l.layer), text: `${l.layer} (${l.name})`, onclick: () => onLayer(l.layer) }))) : null,
    evidenceTable(f.evidence, f.thresholds),
    (f.remedies || []).length && onRemedy ? el("div", { class: "row" }, "Remedies: ", f.remedies.map(r => el("button", { title: r.why, "data-remedy": r.id, text: `Try ${r.title}`, onclick: () => onRemedy(r.id) }))) : null,
    (f.remedies || []).filter(r => r.pytorch).map(r => el("details", { class: "pytorch-remedy", "data-remedy": r.id },
      el("summary", { text: `PyTorch code: ${r.title}` }), el("p", { class: "muted", text: r.why || "" }), el("pre", { class: "pytorch", tabindex: "0", text: r.pytorch })))))
    : [el("p", { class: "muted", text: "No findings: the diagnosis saw nothing wrong (yet)." })];
  const p = panel("Findings", ...body);
  p.id = "findings";
  return p;
}

function evidenceTable(evidence, thresholds) {
  const keys = Object.keys(evidence || {});
  if (!keys.length) return null;
  return el("table", { class: "data" }, el("thead", {}, el("tr", {}, el("th", { text: "evidence" }), el("th", { class: "num", text: "value" }), el("th", { class: "num", text: "threshold" }))),
    el("tbody", {}, keys.map(k => el("tr", {}, el("td", { text: k }), el("td", { class: "num", text: fmt(evidence[k]) }), el("td", { class: "num", text: thresholds && k in thresholds ? fmt(thresholds[k]) : "" })))));
}

export function specPanel(detail) {
  const spec = detail.spec || (detail.run && detail.run.spec);
  const layers = detail.layers || [];
  const p = panel("Configuration",
    layers.length ? el("table", { class: "data" }, el("thead", {}, el("tr", {}, ["layer", "name", "kind", "activation", "inputs", "units"].map(h => el("th", { text: h })))),
      el("tbody", {}, layers.map(l => el("tr", {}, [l.layer, l.name, l.kind, l.activation, l.inputs, l.units].map(v => el("td", { text: v === null || v === undefined ? "" : String(v) })))))) : null,
    el("h3", { text: "Run description (run-spec v1)" }),
    el("pre", { class: "spec", tabindex: "0", text: spec ? JSON.stringify(spec, null, 2) : "No description stored." }));
  p.id = "configuration";
  return p;
}

// Histograms over time: recorded histogram steps (at most 40 sampled) x bins for one layer.
export function histogramsPanel(id, layers) {
  const canvas = el("canvas", { class: "chart", id: "histograms", role: "img", "aria-label": "Histograms over time for the chosen layer" });
  const state = { layer: layers.length ? layers[0].layer : 1, kind: "gradient", steps: null, cache: new Map() };
  const layerSelect = el("select", { name: "hist-layer", onchange: e => { state.layer = +e.target.value; draw(); } },
    layers.map(l => el("option", { value: String(l.layer), text: `${l.layer} (${l.name})` })));
  const kindSelect = el("select", { name: "hist-kind", onchange: e => { state.kind = e.target.value; draw(); } },
    [["gradient", "weight gradient |g| (decades)"], ["activation", "activation values"]].map(([v, t]) => el("option", { value: v, text: t })));
  const p = panel("Histograms over time", el("div", { class: "row" }, el("label", {}, "Layer", layerSelect), el("label", {}, "Kind", kindSelect)), el("div", { class: "chartbox" }, canvas));
  p.id = "histograms-panel";

  async function draw() {
    try {
      if (!state.steps) state.steps = (await api(runPath(id) + "/histograms")).steps || [];
      if (!state.steps.length) return message(canvas, "No histograms recorded (train with --monitor standard or full).");
      const every = Math.max(1, Math.ceil(state.steps.length / 40));
      const chosen = state.steps.filter((_, i) => i % every === 0);
      const snaps = await Promise.all(chosen.map(step => {
        if (!state.cache.has(step)) state.cache.set(step, api(runPath(id) + `/histograms?step=${step}`));
        return state.cache.get(step);
      }));
      paint(canvas, snaps, state);
    } catch (error) { message(canvas, "Histograms unavailable: " + error.message); }
  }
  return { panel: p, draw, setLayer: layer => { state.layer = layer; layerSelect.value = String(layer); draw(); } };
}

function paint(canvas, snaps, state) {
  const columns = snaps.map(s => ({ step: s.step, h: ((s.layers || []).find(l => l.layer === state.layer) || {})[state.kind] })).filter(c => c.h && c.h.counts);
  if (!columns.length) return message(canvas, `No ${state.kind} histograms for layer ${state.layer}.`);
  const gradient = state.kind === "gradient";
  // Gradient: decade bins from min_decade (then zeros, non-finite); show the decades any column uses.
  let lo = Infinity, hi = -Infinity;
  for (const c of columns) {
    const n = gradient ? c.h.counts.length - 2 : c.h.counts.length;
    for (let i = 0; i < n; i++) if (c.h.counts[i] > 0) { lo = Math.min(lo, i); hi = Math.max(hi, i); }
  }
  if (!(lo <= hi)) return message(canvas, "Every histogram is empty.");
  const f = frame(surface(canvas, 240), { left: 58, right: 14, top: 8, bottom: 36 });
  const x = scale(0, columns.length, f.left, f.right), y = scale(lo, hi + 1, f.bottom, f.top);
  columns.forEach((c, k) => {
    const total = c.h.counts.reduce((a, b) => a + b, 0) || 1;
    for (let i = lo; i <= hi; i++) {
      const share = c.h.counts[i] / total;
      f.ctx.fillStyle = share > 0 ? colorAt(0.15 + 0.85 * Math.sqrt(share)) : "#f4f4f6";
      f.ctx.fillRect(x(k), y(i + 1), Math.ceil(x(k + 1) - x(k)), Math.ceil(y(i) - y(i + 1)));
    }
  });
  const label = i => (gradient ? `1e${columns[0].h.min_decade + Math.floor(i)}` : fmt(binValue(columns[0].h, Math.floor(i))));
  const every = Math.max(1, Math.ceil(columns.length / ((f.right - f.left) / 60)));
  const xTicks = columns.map((_, k) => k + 0.5).filter((_, k) => k % every === 0);
  axes(f, x, y, { xTicks, xFormat: t => String(columns[Math.floor(t)].step), xTitle: "recorded step", yTitle: gradient ? "|gradient| decade" : "activation", yFormat: label });
  canvas.dataset.columns = String(columns.length);
  canvas.onmousemove = e => {
    const r = canvas.getBoundingClientRect(), k = Math.floor(x.invert(e.clientX - r.left)), i = Math.floor(y.invert(e.clientY - r.top));
    if (k < 0 || k >= columns.length || i < lo || i > hi) return hideTip();
    showTip(e, [`step ${columns[k].step}`, `bin ${label(i)}`, `${columns[k].h.counts[i]} values`]);
  };
  canvas.onmouseleave = hideTip;
}

// An activation histogram's bin i: underflow, 20 equal bins over [low, high], overflow.
const binValue = (h, i) => (i <= 0 ? h.low : i >= h.counts.length - 1 ? h.high : h.low + ((i - 0.5) * (h.high - h.low)) / (h.counts.length - 2));
