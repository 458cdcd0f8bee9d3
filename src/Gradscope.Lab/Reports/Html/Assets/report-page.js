"use strict";
// Wires the controls to the shared state and draws everything once the page has loaded.
G.highlight = number => {
  G.state.layer = G.state.layer === number ? null : number;
  if (G.state.layer !== null) {
    G.state.histLayer = G.state.layer;
    document.getElementById("hist-layer").value = String(G.state.layer);
  }
  document.getElementById("layer-select").value = G.state.layer === null ? "" : String(G.state.layer);
  G.redraw();
};

G.fillLayerSelect = (select, withNone) => {
  const names = new Map();
  for (const run of G.data.runs) for (const layer of run.layers) if (!names.has(layer.layer)) names.set(layer.layer, layer.name);
  if (withNone) select.appendChild(Object.assign(document.createElement("option"), { value: "", textContent: "none" }));
  for (const [number, name] of [...names].sort((a, b) => a[0] - b[0])) {
    select.appendChild(Object.assign(document.createElement("option"), { value: String(number), textContent: `layer ${number} (${name})` }));
  }
};

G.initControls = () => {
  const byId = id => document.getElementById(id);
  for (const input of document.querySelectorAll("input[name=quantity]")) {
    input.addEventListener("change", () => { G.state.quantity = input.value; G.redraw(); });
  }
  byId("reduce").addEventListener("change", e => { G.state.reduce = e.target.value; G.redraw(); });
  byId("reduce-control").hidden = !G.data.runs.some(run => run.steps.count.some(n => n > 1));
  byId("reset-zoom").addEventListener("click", () => G.setZoom(null));
  const smoothing = byId("smoothing");
  smoothing.value = String(G.state.smoothing);
  smoothing.addEventListener("input", () => { G.state.smoothing = +smoothing.value; byId("smoothing-value").textContent = smoothing.value; G.redraw(); });
  byId("smoothing-value").textContent = smoothing.value;
  G.fillLayerSelect(byId("layer-select"), true);
  byId("layer-select").addEventListener("change", e => G.highlight(e.target.value === "" ? G.state.layer : +e.target.value));
  const slider = byId("step-slider");
  slider.max = String(G.lastStep);
  slider.value = String(G.lastStep);
  G.state.step = G.lastStep;
  slider.addEventListener("input", () => { G.state.step = +slider.value; byId("step-value").textContent = slider.value; G.drawProfile(byId("profile")); });
  byId("step-value").textContent = slider.value;
  G.fillLayerSelect(byId("hist-layer"), false);
  byId("hist-layer").addEventListener("change", e => { G.state.histLayer = +e.target.value; G.drawHistograms(byId("histograms")); });
  byId("hist-kind").addEventListener("change", e => { G.state.histKind = e.target.value; G.drawHistograms(byId("histograms")); });
};

G.start = () => {
  G.initControls();
  G.initHeatmaps();
  G.initCurves();
  G.drawers.push(() => {
    G.drawLoss(document.getElementById("loss"));
    G.drawAccuracy(document.getElementById("accuracy"));
    G.drawHistograms(document.getElementById("histograms"));
  });
  G.zoomable(document.getElementById("loss"));
  G.renderFindings();
  G.renderConfig();
  G.redraw();
  let pending = 0;
  window.addEventListener("resize", () => { clearTimeout(pending); pending = setTimeout(G.redraw, 150); });
  document.body.dataset.ready = "true";
};
G.start();
