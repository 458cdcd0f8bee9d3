// The compare page: the selected runs' heatmaps on one colour scale (or each its own), overlaid
// per-layer curves and last-step profiles, and the configuration differences.
import { api, runPath } from "../api.js";
import { el, panel, statusBadge } from "../dom.js";
import { fmt, percent, runColor } from "../charts.js";
import { drawColorbar, drawHeatmap, interactive } from "../heatmap.js";
import { drawLines } from "../lines.js";
import { fetchSteps, layerSeries, logExtent, stepDomain } from "../stepdata.js";
import { navigate } from "../app.js";
import { histogramOverlay } from "../compare-histograms.js";

export async function render(main, params) {
  document.title = "Compare · Gradscope";
  const ids = (params.get("ids") || "").split(",").map(s => s.trim()).filter(Boolean);
  main.append(el("h1", { text: "Compare runs" }));
  if (ids.length < 2) return pickMore(main, ids);
  const runs = await Promise.all(ids.map(async id => {
    const detail = await api(runPath(id));
    return { detail, data: await fetchSteps(detail.run.id, { maxPoints: 600, stats: ["delta_rms", "grad_rms"] }) };
  }));
  const state = { quantity: params.get("stat") || "delta_rms", shared: params.get("scale") !== "own", layer: null };
  const maxLayers = Math.max(...runs.map(r => r.data.layers.length));
  state.layer = Math.min(maxLayers, Math.max(1, +(params.get("layer") || 1)));

  const heatmaps = runs.map((r, i) => {
    const canvas = el("canvas", { class: "chart heatmap", "data-run": String(i), role: "img", "aria-label": `Heatmap of ${r.detail.run.name || r.detail.run.id}` });
    const bar = el("canvas", { class: "chart colorbar", role: "img", "aria-label": "Colour scale" });
    return { canvas, bar, box: el("section", { class: "panel" }, el("h2", {}, el("span", { style: `color:${runColor(i)}`, text: "■ " }), el("a", { href: `/runs/${encodeURIComponent(r.detail.run.id)}`, text: r.detail.run.name || r.detail.run.id }), " ", statusBadge(r.detail.run.status)),
      el("p", { class: "muted", text: `loss ${fmt(r.detail.run.loss)} · test accuracy ${percent(r.detail.run.test_accuracy)} · ${r.data.layers.length} layers · ${r.data.total_steps ?? r.detail.run.steps} steps` }),
      el("div", { class: "chartbox" }, canvas), el("div", { class: "chartbox" }, bar)) };
  });
  const curves = el("canvas", { class: "chart", id: "overlay-curves", role: "img", "aria-label": "Overlaid curves of the chosen layer" });
  const profile = el("canvas", { class: "chart", id: "overlay-profile", role: "img", "aria-label": "Overlaid gradient by layer at the last step" });
  const histograms = el("canvas", { class: "chart", id: "overlay-histograms", role: "img", "aria-label": "Overlaid gradient histograms of the chosen layer" });
  const drawHistograms = histogramOverlay(histograms, runs);
  const layerPick = el("input", { type: "number", min: "1", max: String(maxLayers), value: String(state.layer), name: "layer", onchange: e => { state.layer = Math.min(maxLayers, Math.max(1, +e.target.value || 1)); draw(); } });

  const draw = () => {
    const extents = runs.map(r => logExtent(r.data, state.quantity));
    const shared = [Math.min(...extents.map(e => e[0])), Math.max(...extents.map(e => e[1]))];
    runs.forEach((r, i) => {
      const [vmin, vmax] = state.shared ? shared : extents[i];
      drawHeatmap(heatmaps[i].canvas, { steps: r.data.steps, layers: r.data.layers, values: r.data.stats[state.quantity], vmin, vmax, domain: stepDomain(r.data, null), quantity: state.quantity, highlight: state.layer });
      drawColorbar(heatmaps[i].bar, vmin, vmax, `log10 ${state.quantity}` + (state.shared ? ": one scale for every run" : ": this run's own scale"));
    });
    drawLines(curves, runs.map((r, i) => ({ label: `${r.detail.run.name || r.detail.run.id}, layer ${state.layer}`, color: runColor(i), xs: r.data.steps, ys: layerSeries(r.data, state.quantity, state.layer - 1) })),
      { log: true, yTitle: `${state.quantity} (log)`, height: 260 });
    drawLines(profile, runs.map((r, i) => {
      const rows = r.data.stats[state.quantity];
      const last = rows.length ? rows[rows.length - 1] : [];
      return { label: r.detail.run.name || r.detail.run.id, color: runColor(i), xs: r.data.layers.map(l => l.layer), ys: last };
    }), { log: true, xTitle: "layer (input side first)", yTitle: `${state.quantity} at the last step (log)`, height: 260 });
    drawHistograms(state.layer);
    history.replaceState(null, "", location.pathname + "?" + new URLSearchParams({ ids: ids.join(","), stat: state.quantity, scale: state.shared ? "shared" : "own", layer: String(state.layer) }));
  };
  const controls = el("section", { class: "panel", "aria-label": "Options" }, el("div", { class: "row" },
    el("label", {}, "Statistic", el("select", { name: "quantity", onchange: e => { state.quantity = e.target.value; draw(); } },
      ["delta_rms", "grad_rms"].map(q => el("option", { value: q, text: q, selected: q === state.quantity })))),
    el("label", {}, el("input", { type: "checkbox", name: "shared", checked: state.shared, onchange: e => { state.shared = e.target.checked; draw(); } }), "one colour scale for every run"),
    el("label", {}, "Layer for the curves", layerPick)));
  main.append(controls, ...heatmaps.map(h => h.box),
    el("div", { class: "grid2" }, panel("Chosen layer, every run", el("div", { class: "chartbox" }, curves)), panel("Gradient by layer at the last step", el("div", { class: "chartbox" }, profile))),
    panel("Gradient histogram of the chosen layer, last recorded step", el("div", { class: "chartbox" }, histograms)),
    differences(runs.map(r => r.detail)));
  heatmaps.forEach(h => interactive(h.canvas, { onPick: layer => { state.layer = layer; layerPick.value = String(layer); draw(); } }));
  draw();
  return undefined;
}

async function pickMore(main, ids) {
  const runs = await api("/api/runs?limit=50");
  const chosen = new Set(ids);
  const go = el("button", { class: "primary", text: "Compare", onclick: () => navigate("/compare?ids=" + [...chosen].join(",")) });
  main.append(el("p", { text: "Choose two or more runs." }), el("div", {}, runs.map(r => el("div", {}, el("label", {},
    el("input", { type: "checkbox", checked: chosen.has(r.id), onchange: e => (e.target.checked ? chosen.add(r.id) : chosen.delete(r.id)) }), `${r.name || r.id} (${r.status})`)))), go);
}

// Flattens a spec into "path" -> value text, then lists the paths whose values differ.
function flatten(value, path, out) {
  if (value && typeof value === "object" && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
  else if (Array.isArray(value) && value.length && typeof value[0] === "object") value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  else out.set(path, value === null || value === undefined ? "–" : JSON.stringify(value));
  return out;
}

function differences(details) {
  const flat = details.map(d => flatten(d.spec || d.run.spec || {}, "", new Map()));
  const keys = [...new Set(flat.flatMap(m => [...m.keys()]))].filter(k => new Set(flat.map(m => m.get(k) ?? "–")).size > 1);
  const p = panel("Configuration differences",
    keys.length ? el("table", { class: "data", id: "differences" },
      el("thead", {}, el("tr", {}, el("th", { text: "setting" }), details.map((d, i) => el("th", { style: `color:${runColor(i)}`, text: d.run.name || d.run.id })))),
      el("tbody", {}, keys.map(k => el("tr", {}, el("td", {}, el("code", { text: k })), flat.map(m => el("td", { text: m.get(k) ?? "–" }))))))
      : el("p", { class: "muted", text: "The runs have the same description." }));
  return p;
}
