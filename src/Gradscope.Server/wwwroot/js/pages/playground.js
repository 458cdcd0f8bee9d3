// The gradient playground: choose a network, start it on the server, and watch the gradient of
// every layer (bars and a growing heatmap), the decision boundary and the squashing view live.
// The URL holds the whole configuration, so a link reproduces it.
import { api, post, runPath } from "../api.js";
import { el, errorBox, panel, throttled } from "../dom.js";
import { colorAt } from "../charts.js";
import { drawColorbar, drawHeatmap, interactive } from "../heatmap.js";
import { drawBars } from "../lines.js";
import { follow } from "../live.js";
import { appendStep, logExtent, stepDomain } from "../stepdata.js";
import { ACTIVATIONS, INITS, LIMITS, NORMS, OPTIMIZERS, fromParams, runSpec, toQuery } from "../playground-spec.js";
import { drawBoundary, drawSensitivity, drawSquashing } from "../playground-views.js";

const FALLBACK_SETS = [{ name: "spiral", dimensions: 2 }, { name: "moons", dimensions: 2 }, { name: "circles", dimensions: 2 }, { name: "xor", dimensions: 2 }, { name: "checkerboard", dimensions: 2 }, { name: "digits", dimensions: 64 }];

export async function render(main, params) {
  document.title = "Playground · Gradscope";
  const s = fromParams(params);
  const sets = await api("/api/datasets").catch(() => FALLBACK_SETS);
  const run = { id: null, status: "idle", data: null, stop: null, timer: null, busy: false, layer: null };
  const status = el("span", { id: "play-status", "aria-live": "polite", class: "muted", text: "Not started." });
  const notice = el("div");
  const bars = el("canvas", { class: "chart", id: "play-bars", role: "img", "aria-label": "Gradient RMS by layer at the latest step" });
  const heat = el("canvas", { class: "chart heatmap", id: "play-heatmap", role: "img", "aria-label": "Heatmap of log10 gradient RMS, layers by steps" });
  const colorbar = el("canvas", { class: "chart colorbar", role: "img", "aria-label": "Colour scale" });
  const boundary = el("canvas", { class: "chart", id: "play-boundary", role: "img", "aria-label": "Decision boundary" });
  const squash = el("div", { class: "squash-grid", id: "play-squashing" });
  const sensitivity = el("canvas", { class: "chart", id: "play-sensitivity", role: "img", "aria-label": "Output sensitivity by layer" });
  const sensitivityText = el("p", { class: "muted", "aria-live": "polite" });
  const twoD = () => (sets.find(d => d.name === s.data) || {}).dimensions === 2;
  const sync = () => history.replaceState(null, "", "/playground?" + toQuery(s));

  const field = (label, key, node) => el("label", {}, label, node);
  const choose = (key, options) => el("select", { name: key, onchange: e => { s[key] = e.target.value; sync(); } }, options.map(o => el("option", { value: o, text: o, selected: String(s[key]) === o })));
  const number = (key, attrs) => el("input", { type: "number", name: key, value: String(s[key]), ...attrs, onchange: e => {
    const v = Number(e.target.value), [lo, hi] = LIMITS[key] || [1e-6, 100];
    s[key] = key === "lr" ? (v > 0 ? v : s.lr) : Math.min(hi, Math.max(lo, Math.round(v) || lo));
    e.target.value = String(s[key]);
    sync();
  } });
  const buttons = {
    start: el("button", { class: "primary", id: "play-start", text: "Start", onclick: () => start(false) }),
    pause: el("button", { id: "play-pause", text: "Pause", onclick: () => togglePause() }),
    step: el("button", { id: "play-step", text: "Step", onclick: () => stepOnce() }),
    reset: el("button", { id: "play-reset", text: "Reset", onclick: () => reset() }),
  };

  main.append(el("h1", { text: "Gradient playground" }),
    el("section", { class: "panel", "aria-label": "Network" }, el("h2", { text: "Network and training" }), el("div", { class: "controls" },
      field("Data set", "data", choose("data", sets.map(d => d.name))),
      field("Depth (hidden layers)", "depth", number("depth", { min: "1", max: "100" })),
      field("Width", "width", number("width", { min: "1", max: "256" })),
      field("Activation", "activation", choose("activation", ACTIVATIONS)),
      field("Initialization", "init", choose("init", INITS)),
      field("Normalization", "norm", choose("norm", NORMS)),
      el("label", {}, "Residual", el("input", { type: "checkbox", name: "residual", checked: s.residual === "true", onchange: e => { s.residual = String(e.target.checked); sync(); } })),
      field("Optimizer", "optimizer", choose("optimizer", OPTIMIZERS)),
      field("Learning rate", "lr", number("lr", { min: "0", step: "any" })),
      field("Batch size", "batch", number("batch", { min: "1" })),
      field("Epochs", "epochs", number("epochs", { min: "1" }))),
    el("div", { class: "row" }, buttons.start, buttons.pause, buttons.step, buttons.reset, status, el("a", { id: "play-open", hidden: true, text: "open the run page" }))),
    notice,
    el("div", { class: "grid2" },
      panel("Gradient by layer (latest step)", el("div", { class: "chartbox" }, bars)),
      panel("Decision boundary", el("div", { class: "chartbox" }, boundary))),
    panel("Gradient through the layers, live", el("div", { class: "chartbox" }, heat), el("div", { class: "chartbox" }, colorbar)),
    panel("Squashing: the input grid after each layer", el("p", { class: "legend", text: "Each square is the image of a coloured grid over the input plane after one layer (first two principal directions); the number is its spread relative to the input's. Click one to perturb that layer." }),
      squash, el("div", { class: "chartbox" }, sensitivity), sensitivityText));
  interactive(heat, {});
  const redraw = throttled(draw);
  drawIdle();
  sync();

  function drawIdle() {
    drawBars(bars, [], { empty: "Start a run to see each layer's gradient." });
    drawBars(heat, [], { empty: "The heatmap grows here as steps arrive." });
    colorbar.hidden = true;
    heat.dataset.columns = "0";
    drawBars(boundary, [], { empty: twoD() ? "The decision boundary appears once the run starts." : "No decision boundary: the data is not 2-D." });
    drawSensitivity(sensitivity, sensitivityText, null);
    squash.replaceChildren();
  }

  function draw() {
    const d = run.data;
    if (!d || !d.steps.length) return;
    const [vmin, vmax] = logExtent(d, "delta_rms");
    drawHeatmap(heat, { steps: d.steps, layers: d.layers, values: d.stats.delta_rms, vmin, vmax, domain: stepDomain(d, null), quantity: "delta_rms" });
    colorbar.hidden = false;
    drawColorbar(colorbar, vmin, vmax, "log10 delta_rms (gradient RMS at each layer's output)");
    const last = d.stats.delta_rms[d.stats.delta_rms.length - 1] || [];
    drawBars(bars, d.layers.map((l, i) => ({ label: String(l.layer), title: `layer ${l.layer} (${l.name})`, value: last[i], color: colorAt(Math.max(0, Math.min(1, ((Math.log10(last[i]) - vmin) / (vmax - vmin || 1))))) })),
      { log: true, yDomain: [vmin, vmax], yTitle: "delta_rms (log)", name: "delta_rms", height: 240 });
    status.textContent = `${run.status}: step ${d.steps[d.steps.length - 1]}`;
  }

  async function start(paused) {
    await reset();
    try {
      buttons.start.disabled = true;
      const started = await post("/api/runs", { spec: runSpec(s), name: `playground ${s.data} ${s.depth}x${s.width} ${s.activation}`, tags: ["playground"], paused });
      run.id = started.id;
      run.status = paused ? "paused" : "running";
      buttons.pause.textContent = paused ? "Resume" : "Pause";
      const detail = await api(runPath(run.id)).catch(() => null);
      const layers = detail && detail.layers && detail.layers.length ? detail.layers.map(l => ({ layer: l.layer, name: l.name })) : null;
      run.data = { steps: [], layers: layers || [], stats: { delta_rms: [] }, loss: [] };
      const open = main.querySelector("#play-open");
      open.href = `/runs/${encodeURIComponent(run.id)}`; open.hidden = false;
      status.textContent = paused ? "paused before the first step" : "running…";
      run.stop = follow(run.id, 0, {
        onStep: step => {
          if (!run.data.layers.length) run.data.layers = (step.delta_rms || []).map((_, i) => ({ layer: i + 1, name: `layer ${i + 1}` }));
          if (appendStep(run.data, step)) redraw();
        },
        onEnd: end => { run.status = end.status || "ended"; clearInterval(run.timer); refreshModel(); redraw(); status.textContent = `${run.status} after ${run.data.steps.length} steps`; buttons.start.disabled = false; },
      });
      run.timer = setInterval(refreshModel, 1000);
      refreshModel();
    } catch (error) { notice.replaceChildren(errorBox(error)); buttons.start.disabled = false; }
  }

  let squashAt = 0;
  async function refreshModel() {
    if (!run.id || run.busy || !twoD()) return;
    run.busy = true;
    const id = run.id;
    try {
      const b = await api(runPath(id) + "/boundary?grid=48");
      if (id === run.id) drawBoundary(boundary, b);
      if (Date.now() - squashAt > 3000 || run.status !== "running") {
        squashAt = Date.now();
        const view = await api(runPath(id) + "/squashing?grid=15");
        if (id === run.id) drawSquashing(squash, view, layer => measure(layer));
      }
    } catch (error) { if (error.status !== 404) notice.replaceChildren(errorBox(error)); } finally { run.busy = false; }
  }

  async function measure(layer) {
    if (!run.id) return;
    try {
      const result = await api(runPath(run.id) + `/sensitivity?layer=${layer}&epsilon=0.01`);
      drawSensitivity(sensitivity, sensitivityText, result);
      for (const b of squash.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.layer === String(layer)));
    } catch (error) { sensitivityText.textContent = "Sensitivity unavailable: " + error.message; }
  }

  async function togglePause() {
    if (!run.id || (run.status !== "running" && run.status !== "paused")) return;
    const command = run.status === "running" ? "pause" : "resume";
    try {
      await post(`${runPath(run.id)}/${command}`);
      run.status = command === "pause" ? "paused" : "running";
      buttons.pause.textContent = command === "pause" ? "Resume" : "Pause";
      status.textContent = run.status;
    } catch (error) { notice.replaceChildren(errorBox(error)); }
  }

  async function stepOnce() {
    if (!run.id || (run.status !== "running" && run.status !== "paused")) return start(true).then(() => run.id && stepOnce());
    try {
      if (run.status === "running") { await post(`${runPath(run.id)}/pause`); run.status = "paused"; buttons.pause.textContent = "Resume"; }
      await post(`${runPath(run.id)}/step`);
    } catch (error) { notice.replaceChildren(errorBox(error)); }
  }

  async function reset() {
    const id = run.id, going = run.status === "running" || run.status === "paused";
    if (run.stop) run.stop();
    clearInterval(run.timer);
    Object.assign(run, { id: null, status: "idle", data: null, stop: null, timer: null });
    buttons.pause.textContent = "Pause";
    buttons.start.disabled = false;
    notice.replaceChildren();
    status.textContent = "Not started.";
    main.querySelector("#play-open").hidden = true;
    drawIdle();
    if (id && going) await post(`${runPath(id)}/stop`).catch(() => undefined);
  }

  // A run left behind would hold one of the server's few run slots: leaving the page stops it (a
  // route change posts stop; closing the tab sends a beacon, the one request a closing page may send).
  const going = () => run.id && (run.status === "running" || run.status === "paused");
  const onPageHide = () => { if (going()) navigator.sendBeacon(`${runPath(run.id)}/stop`); };
  window.addEventListener("pagehide", onPageHide);
  return () => {
    window.removeEventListener("pagehide", onPageHide);
    if (run.stop) run.stop();
    clearInterval(run.timer);
    if (going()) post(`${runPath(run.id)}/stop`).catch(() => undefined);
  };
}
