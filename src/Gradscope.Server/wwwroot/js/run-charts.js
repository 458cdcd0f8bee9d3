// The run page's step charts: heatmap (with its colour-scale switch), per-layer curves, the
// gradient by layer at the chosen step, activations, loss and accuracy. All read one view state.
import { el, panel } from "./dom.js";
import { colorAt, fmt, percent } from "./charts.js";
import { drawColorbar, drawHeatmap, interactive } from "./heatmap.js";
import { drawBars, drawLines } from "./lines.js";
import { layerSeries, logExtent, nearestColumn, stepDomain } from "./stepdata.js";

const layerColor = (i, n) => colorAt(n <= 1 ? 0.1 : (i / (n - 1)) * 0.92);
const MAX_CURVES = 24;

// The layers drawn as curves: all of them up to MAX_CURVES, else evenly chosen ones, the last and
// the chosen layer (a hundred overlaid lines say no more than two dozen, and cost four times more).
function curveLayers(layers, chosen) {
  const every = Math.max(1, Math.ceil(layers.length / MAX_CURVES));
  return layers.map((layer, i) => ({ layer, i })).filter(({ layer, i }) => i % every === 0 || i === layers.length - 1 || layer.layer === chosen);
}

// view: {data, detail, state: {quantity, scale, fixed, zoom, layer, step}, onBrush, onReset, onPick}
export function stepCharts(view) {
  const heat = el("canvas", { class: "chart heatmap", id: "heatmap", role: "img", "aria-label": "Heatmap of log10 gradient RMS, layers by steps" });
  const bar = el("canvas", { class: "chart colorbar", id: "colorbar", role: "img", "aria-label": "Colour scale" });
  const curves = el("canvas", { class: "chart", id: "curves", role: "img", "aria-label": "Per-layer curves" });
  const profile = el("canvas", { class: "chart", id: "profile", role: "img", "aria-label": "Gradient by layer at the chosen step" });
  const saturation = el("canvas", { class: "chart", id: "saturation", role: "img", "aria-label": "Saturated fraction per layer" });
  const dead = el("canvas", { class: "chart", id: "dead", role: "img", "aria-label": "Dead fraction per layer" });
  const loss = el("canvas", { class: "chart", id: "loss", role: "img", "aria-label": "Loss" });
  const accuracy = el("canvas", { class: "chart", id: "accuracy", role: "img", "aria-label": "Accuracy" });
  const zoomText = el("span", { class: "muted", id: "zoom-state", "aria-live": "polite" });
  const stepText = el("span", { class: "muted", id: "chosen-step" });
  const curvesNote = el("span", { id: "curves-note" });
  const s = view.state;
  const radio = (value, text) => el("label", {}, el("input", { type: "radio", name: "scale", value, checked: s.scale === value, onchange: () => { s.scale = value; draw(); } }), text);
  const quantity = el("label", {}, "Statistic", el("select", { name: "quantity", onchange: e => { s.quantity = e.target.value; s.fixed = null; draw(); } },
    [["delta_rms", "gradient RMS at the layer output (delta_rms)"], ["grad_rms", "weight gradient RMS (grad_rms)"]].map(([v, t]) => el("option", { value: v, text: t, selected: v === s.quantity }))));
  const reset = el("button", { text: "Show all steps", onclick: () => view.onReset() });

  const heatPanel = panel("Gradient through the layers",
    el("div", { class: "row" }, quantity, el("span", { role: "radiogroup", "aria-label": "Colour scale", class: "row" }, radio("window", "scale over the visible steps"), radio("fixed", "fixed scale (whole run)")), reset, zoomText),
    el("div", { class: "chartbox" }, heat), el("div", { class: "chartbox" }, bar),
    el("p", { class: "legend", text: "log10 of the statistic; black: exactly zero, pink: NaN or infinity. Click a cell to choose a layer and step." }));
  heatPanel.id = "heatmap-panel";
  const nodes = [heatPanel,
    el("div", { class: "grid2" },
      panel("Per-layer curves", el("div", { class: "chartbox" }, curves), el("p", { class: "legend" }, curvesNote, "One line per layer, dark = input side, yellow = output side; the chosen layer in red.")),
      panel("Gradient by layer at the chosen step", stepText, el("div", { class: "chartbox" }, profile))),
    el("div", { class: "grid2" },
      panel("Activations: saturated fraction", el("div", { class: "chartbox" }, saturation)),
      panel("Activations: dead fraction", el("div", { class: "chartbox" }, dead))),
    el("div", { class: "grid2" },
      panel("Loss", el("div", { class: "chartbox" }, loss)),
      panel("Accuracy (per epoch)", el("div", { class: "chartbox" }, accuracy),
        el("p", { class: "legend", id: "accuracy-legend" }, el("span", { class: "swatch train" }), " train ", el("span", { class: "swatch test" }), " test")))];

  let wired = false;
  function draw() {
    const data = view.data, q = s.quantity;
    if (!wired) { interactive(heat, { onPick: view.onPick, onBrush: view.onBrush, onReset: view.onReset }); wired = true; }
    const visible = logExtent(data, q);
    if (!s.fixed) s.fixed = visible;
    else if (!s.zoom) s.fixed = [Math.min(s.fixed[0], visible[0]), Math.max(s.fixed[1], visible[1])];
    const [vmin, vmax] = s.scale === "fixed" ? s.fixed : visible;
    const domain = stepDomain(data, s.zoom);
    const values = data.stats[q] || [];
    drawHeatmap(heat, { steps: data.steps, layers: data.layers, values, vmin, vmax, domain, highlight: s.layer, marker: s.step, quantity: q });
    drawColorbar(bar, vmin, vmax, `log10 ${q}, ${s.scale === "fixed" ? "fixed over the whole run" : "over the visible steps"}: ${fmt(vmin)} to ${fmt(vmax)}`);
    zoomText.textContent = s.zoom ? `steps ${s.zoom[0]} to ${s.zoom[1]}` + (data.downsampled ? " (downsampled)" : "") : "all steps" + (data.downsampled ? " (downsampled: each column keeps its minimum and maximum)" : "");
    const n = data.layers.length;
    const shown = curveLayers(data.layers, s.layer);
    curvesNote.textContent = shown.length < n ? `${shown.length} of ${n} layers (evenly spaced, and the chosen one). ` : "";
    const series = shown.map(({ layer, i }) => ({ label: `layer ${layer.layer} (${layer.name})`, color: layer.layer === s.layer ? "#ff3b30" : layerColor(i, n), width: layer.layer === s.layer ? 2.6 : 1.1, xs: data.steps, ys: layerSeries(data, q, i) }));
    const hl = series.findIndex(x => x.color === "#ff3b30");
    if (hl >= 0) series.push(series.splice(hl, 1)[0]);
    drawLines(curves, series, { log: true, xDomain: domain, yTitle: `${q} (log)`, marker: s.step, height: 240 });
    const c = nearestColumn(data.steps, s.step ?? Infinity);
    stepText.textContent = c >= 0 ? `step ${data.steps[c]}` + (s.step === null || s.step === undefined ? " (the last recorded; click the heatmap to choose)" : "") : "";
    drawBars(profile, c < 0 ? [] : data.layers.map((layer, i) => ({ label: String(layer.layer), title: `layer ${layer.layer} (${layer.name})`, value: (values[c] || [])[i], color: layer.layer === s.layer ? "#ff3b30" : layerColor(i, n) })),
      { log: true, yTitle: `${q} (log)`, name: q, height: 240 });
    for (const [canvas, name] of [[saturation, "saturated"], [dead, "dead"]]) {
      drawLines(canvas, shown.map(({ layer, i }) => ({ label: `layer ${layer.layer} (${layer.name})`, color: layer.layer === s.layer ? "#ff3b30" : layerColor(i, n), xs: data.steps, ys: layerSeries(data, name, i) })),
        { xDomain: domain, yDomain: [0, 1], yTitle: "fraction of units", height: 200, empty: `No ${name} statistic recorded.` });
    }
    drawLines(loss, [{ label: "loss", color: "#1f77b4", xs: data.steps, ys: data.loss }], { xDomain: domain, yTitle: "training loss (per step)", height: 200 });
    drawAccuracy(accuracy, view.detail);
  }
  return { nodes, draw };
}

function drawAccuracy(canvas, detail) {
  const epochs = (detail && detail.epochs) || [];
  let step = 0;
  const xs = epochs.map(e => (step += e.steps || 0));
  const series = [["train_accuracy", "train", "#1f77b4"], ["test_accuracy", "test", "#d62728"]]
    .filter(([k]) => epochs.some(e => e[k] !== null && e[k] !== undefined))
    .map(([k, label, color]) => ({ label: `${label} accuracy`, color, xs, ys: epochs.map(e => e[k]) }));
  drawLines(canvas, series, { yDomain: [0, 1], yTitle: "accuracy", height: 200, empty: detail && detail.run.status === "running" ? "Accuracy arrives at the end of each epoch." : "No accuracy recorded." });
  canvas.setAttribute("aria-description", series.map(x => `${x.label} ${percent(x.ys[x.ys.length - 1])}`).join(", "));
}
