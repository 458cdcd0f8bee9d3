// The run page: everything about one stored run, live while it trains (the stream appends steps,
// whichever process writes them), with re-run and remedy buttons that start and open a new run.
import { api, post, query, runPath } from "../api.js";
import { el, errorBox, statusBadge, throttled } from "../dom.js";
import { fmt, percent } from "../charts.js";
import { navigate } from "../app.js";
import { appendStep, fetchSteps } from "../stepdata.js";
import { stepCharts } from "../run-charts.js";
import { findingsPanel, histogramsPanel, specPanel } from "../run-details.js";
import { follow } from "../live.js";

const MAX_POINTS = 800;
const live = status => status === "running" || status === "paused";

export async function render(main, params, id) {
  let detail = await api(runPath(id));
  id = detail.run.id;
  document.title = `${detail.run.name || id} · Gradscope`;
  const layerParam = params.get("layer");
  const state = { quantity: "delta_rms", scale: "window", fixed: null, zoom: null, layer: layerParam ? +layerParam : null, step: null };
  const view = { data: await fetchSteps(id, { maxPoints: MAX_POINTS }), detail, state };
  const notice = el("div", { "aria-live": "polite" });
  const header = el("div");
  const charts = stepCharts(view);
  const redraw = throttled(() => charts.draw());
  const histograms = histogramsPanel(id, view.data.layers.length ? view.data.layers : detail.layers || []);

  const refetch = async () => {
    const [from, to] = state.zoom || [undefined, undefined];
    try { view.data = await fetchSteps(id, { from, to, maxPoints: MAX_POINTS }); charts.draw(); } catch (error) { notice.replaceChildren(errorBox(error)); }
  };
  view.onBrush = (from, to) => { state.zoom = [from, to]; refetch(); };
  view.onReset = () => { if (state.zoom) { state.zoom = null; refetch(); } };
  view.onPick = (layer, step) => { state.layer = layer; state.step = step; charts.draw(); histograms.setLayer(layer); };
  const showLayer = layer => {
    state.layer = layer;
    charts.draw();
    histograms.setLayer(layer);
    const box = document.getElementById("heatmap-panel");
    box.scrollIntoView({ block: "start" });
    document.getElementById("heatmap").focus({ preventScroll: true });
  };
  const start = async (path, what) => {
    try {
      notice.replaceChildren(el("p", { class: "muted", text: `Starting ${what}…` }));
      const started = await post(runPath(id) + path);
      navigate(`/runs/${encodeURIComponent(started.id)}`);
    } catch (error) { notice.replaceChildren(errorBox(error)); }
  };
  const control = async command => {
    try { await post(`${runPath(id)}/${command}`); notice.replaceChildren(); } catch (error) { notice.replaceChildren(errorBox(error)); }
  };

  const remedies = await api("/api/remedies").catch(() => []);
  const drawHeader = () => header.replaceChildren(headerNodes(detail, { start, control, remedies }));
  drawHeader();
  const findings = el("div");
  const drawFindings = () => findings.replaceChildren(findingsPanel(detail.findings || [], { onLayer: showLayer, onRemedy: detail.spec ? r => start(`/remedies/${encodeURIComponent(r)}`, "the remedy") : null }));
  drawFindings();
  main.append(header, notice, ...charts.nodes, findings, histograms.panel, specPanel(detail));
  charts.draw();
  histograms.draw();
  if (state.layer !== null) showLayer(state.layer);

  if (!live(detail.run.status)) return undefined;
  const last = () => (view.data.steps.length ? view.data.steps[view.data.steps.length - 1] : -1);
  // Past 4 x MAX_POINTS appended rows, ask the server for a downsampled copy again (one at a time).
  // Steps that arrive meanwhile wait in `held` and are appended after the fresh copy.
  let compacting = false, held = [];
  const compact = async () => {
    if (compacting) return;
    compacting = true;
    try { await refetch(); } finally {
      compacting = false;
      for (const step of held) appendStep(view.data, step);
      held = [];
      redraw();
    }
  };
  return follow(id, last() + 1, {
    onStep: step => {
      if (compacting) { held.push(step); return; }
      if (state.zoom || !appendStep(view.data, step)) return;
      if (view.data.steps.length > 4 * MAX_POINTS) compact(); else redraw();
      header.querySelector("[data-steps]").textContent = String(step.step + 1);
    },
    onEnd: async () => {
      detail = await api(runPath(id));
      view.detail = detail;
      drawHeader();
      drawFindings();
      await refetch();
    },
  });
}

function headerNodes(detail, { start, control, remedies }) {
  const run = detail.run;
  const running = live(run.status);
  const theory = detail.weight_var !== null && detail.weight_var !== undefined ? el("a", {
    href: "/theory" + query({ activation: activationOf(detail), weight_var: detail.weight_var, bias_var: detail.bias_var ?? 0, depth: (detail.layers || []).length || undefined }),
    text: "Where this run sits on the phase diagram" }) : null;
  const remedyPick = el("select", { name: "remedy", "aria-label": "Remedy" }, remedies.map(r => el("option", { value: r.id, text: r.title })));
  // Imported runs (a PyTorch trace) have no run description to re-run or rewrite; only the server
  // that trains a run can pause or stop it.
  const canStart = !!detail.spec, steerable = running && run.hosted === true;
  return el("div", {},
    el("p", {}, el("a", { href: "/", text: "← Runs" })),
    el("h1", {}, running ? el("span", { class: "live-dot", title: "live" }) : null, run.name || run.id, " ", statusBadge(run.status)),
    el("div", { class: "row muted" },
      el("span", {}, "id ", el("code", { text: run.id })),
      el("span", {}, "steps ", el("strong", { "data-steps": "", text: String(run.steps ?? 0) })),
      el("span", { text: `data ${(run.data && run.data.name) || "?"}` }),
      el("span", { text: `loss ${fmt(run.loss)}` }),
      el("span", { text: `train ${percent(run.train_accuracy)} · test ${percent(run.test_accuracy)}` }),
      run.parent ? el("a", { href: `/runs/${encodeURIComponent(run.parent)}`, text: "parent run" }) : null,
      run.error ? el("span", { class: "status failed", text: run.error }) : null, theory),
    el("div", { class: "row" },
      canStart ? el("button", { class: "primary", id: "rerun", text: "Re-run", onclick: () => start("/rerun", "a re-run") }) : null,
      canStart && remedies.length ? el("label", {}, "Try a remedy", remedyPick, el("button", { id: "try-remedy", text: "Start", onclick: () => start(`/remedies/${encodeURIComponent(remedyPick.value)}`, "the remedy") })) : null,
      canStart ? null : el("span", { class: "muted", id: "no-rerun", text: "Imported run (no run description): it cannot be re-run or have a remedy applied here; the findings show each remedy's code where there is some." }),
      steerable ? [el("button", { id: "pause", text: "Pause", onclick: () => control("pause") }), el("button", { id: "resume", text: "Resume", onclick: () => control("resume") }), el("button", { id: "stop", text: "Stop", onclick: () => control("stop") })] : null,
      running && !steerable ? el("span", { class: "muted", id: "not-hosted", text: "Trained by another process: it cannot be paused or stopped from here." }) : null,
      el("a", { href: "/compare" + query({ ids: run.id }), text: "Compare with…" })));
}

function activationOf(detail) {
  const layer = (detail.layers || []).find(l => l.activation && l.activation !== "identity");
  return layer ? layer.activation : "tanh";
}
