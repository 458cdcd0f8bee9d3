"use strict";
// Loss, accuracy, histograms over time (runs overlaid), findings and configuration.
G.runLegend = (f, labels) => {
  const ctx = f.ctx;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  labels.forEach((label, r) => {
    const top = f.top + 8 + r * 18;
    ctx.fillStyle = G.runColor(r);
    ctx.fillRect(f.right + 12, top - 2, 14, 4);
    ctx.fillStyle = "#333";
    ctx.fillText(label.length > 26 ? label.slice(0, 25) + "…" : label, f.right + 30, top);
  });
};

G.drawLoss = canvas => {
  const f = G.frame(G.surface(canvas, 240), { left: 64, right: 210, top: 8, bottom: 40 });
  let top = 0;
  for (const run of G.data.runs) for (const v of run.lossMax) if (Number.isFinite(v)) top = Math.max(top, v);
  const [d0, d1] = G.xDomain();
  const x = G.scale(d0, d1, f.left, f.right), y = G.scale(0, top > 0 ? top * 1.05 : 1, f.bottom, f.top), ctx = f.ctx;
  ctx.save();
  ctx.beginPath();
  ctx.rect(f.left, f.top, f.right - f.left, f.bottom - f.top);
  ctx.clip();
  G.data.runs.forEach((run, r) => {
    const C = run.steps.first.length, xs = [], mids = [];
    ctx.fillStyle = G.runColor(r) + "33";
    for (let c = 0; c < C; c++) {
      xs.push(x((run.steps.first[c] + run.steps.last[c] + 1) / 2));
      const lo = run.lossMin[c], hi = run.lossMax[c];
      mids.push(y(Number.isFinite(lo) && Number.isFinite(hi) ? (lo + hi) / 2 : lo));
      if (run.steps.count[c] > 1 && Number.isFinite(hi)) ctx.fillRect(xs[c] - 1, y(hi), 2, y(lo) - y(hi));
    }
    ctx.strokeStyle = G.runColor(r);
    ctx.lineWidth = 1.5;
    G.line(ctx, xs, mids);
  });
  ctx.restore();
  G.axes(f, x, y, { xTitle: "training step", yTitle: "training loss (batch)" });
  G.runLegend(f, G.data.runs.map(run => run.label));
  canvas.geom = { x, y, f };
};

G.drawAccuracy = canvas => {
  const epochs = Math.max(0, ...G.data.runs.map(run => run.epochs.length));
  if (epochs === 0) return G.message(canvas, "No epoch finished, so no accuracy was measured.");
  const f = G.frame(G.surface(canvas, 240), { left: 64, right: 210, top: 8, bottom: 40 });
  const x = G.scale(1, Math.max(2, epochs), f.left, f.right), y = G.scale(0, 1, f.bottom, f.top), ctx = f.ctx;
  const xTicks = G.ticks(1, Math.max(2, epochs), Math.max(2, (f.right - f.left) / 60)).filter(t => Number.isInteger(t));
  G.data.runs.forEach((run, r) => {
    ctx.strokeStyle = G.runColor(r);
    ctx.lineWidth = 1.8;
    const xs = run.epochs.map(e => x(e.epoch));
    G.line(ctx, xs, run.epochs.map(e => (e.train_accuracy === null ? NaN : y(e.train_accuracy))));
    ctx.setLineDash([5, 4]);
    G.line(ctx, xs, run.epochs.map(e => (e.test_accuracy === null ? NaN : y(e.test_accuracy))));
    ctx.setLineDash([]);
  });
  G.axes(f, x, y, { xTicks, xTitle: "epoch (solid: training accuracy, dashed: held-out accuracy)", yTitle: "accuracy" });
  G.runLegend(f, G.data.runs.map(run => run.label));
};

// One histogram's bins as [from, to) intervals on the chart's x axis (log10 |g| for gradients, the value for activations).
G.binEdges = (h, kind, i) => (kind === "gradient" ? [h.decades[0] + i, h.decades[0] + i + 1] : [h.low + (i - 1) * h.width, h.low + i * h.width]);

G.drawHistograms = canvas => {
  const kind = G.state.histKind, number = G.state.histLayer;
  const sets = G.data.runs.map(run => ({ run, h: run.histograms[kind], l: run.layers.findIndex(layer => layer.layer === number) }))
    .filter(s => s.h && s.h.steps.length && s.l >= 0);
  if (!sets.length) return G.message(canvas, `No ${kind} histograms for layer ${number}: record them with --monitor standard or full.`);
  const f = G.frame(G.surface(canvas, 420), { left: 64, right: 210, top: 24, bottom: 40 });
  let lo = Infinity, hi = -Infinity, lastStep = 0;
  for (const { h } of sets) {
    const n = kind === "gradient" ? h.decades[1] - h.decades[0] + 1 : h.bins;
    lo = Math.min(lo, G.binEdges(h, kind, 0)[0]);
    hi = Math.max(hi, G.binEdges(h, kind, n - 1)[1]);
    lastStep = Math.max(lastStep, h.steps[h.steps.length - 1]);
  }
  const x = G.scale(lo, hi, f.left, f.right), y = G.scale(0, Math.max(1, lastStep), f.top + 40, f.bottom), ctx = f.ctx;
  const ridge = Math.min(60, (f.bottom - f.top) / 3);
  sets.forEach(({ run, h, l }) => {
    const r = G.data.runs.indexOf(run);
    h.steps.forEach((step, k) => {
      const counts = h.counts[l][k], total = counts.reduce((a, b) => a + b, 0) || 1, base = y(step);
      ctx.beginPath();
      ctx.moveTo(x(G.binEdges(h, kind, 0)[0]), base);
      counts.forEach((count, i) => {
        const [a, b] = G.binEdges(h, kind, i), top = base - ridge * (count / total);
        ctx.lineTo(x(a), top);
        ctx.lineTo(x(b), top);
      });
      ctx.lineTo(x(G.binEdges(h, kind, counts.length - 1)[1]), base);
      ctx.fillStyle = G.runColor(r) + "30";
      ctx.fill();
      ctx.strokeStyle = G.runColor(r);
      ctx.lineWidth = 1;
      ctx.stroke();
    });
  });
  const what = kind === "gradient" ? "log10 |dLoss/dW| (decade bins)" : "activation value (outer bins: below and above the range)";
  G.axes(f, x, y, { xTitle: `${what}: layer ${number}`, yTitle: "training step (later: lower)" });
  G.runLegend(f, sets.map(s => s.run.label));
};

G.renderFindings = () => {
  const root = document.getElementById("findings");
  root.replaceChildren();
  G.data.runs.forEach((run, r) => {
    const section = document.createElement("div");
    section.className = "run-findings";
    const title = Object.assign(document.createElement("h3"), { textContent: run.label });
    title.style.borderColor = G.runColor(r);
    section.appendChild(title);
    if (!run.findings.length) section.appendChild(Object.assign(document.createElement("p"), { textContent: "No findings: the gradient looked healthy." }));
    for (const finding of run.findings) section.appendChild(G.findingElement(finding));
    root.appendChild(section);
  });
};
G.findingElement = finding => {
  const box = document.createElement("div");
  box.className = `finding ${finding.severity}`;
  const head = document.createElement("div");
  head.className = "finding-head";
  head.append(`${finding.kind} (${finding.severity}) in `);
  finding.layers.forEach((layer, i) => {
    if (i) head.append(", ");
    const link = Object.assign(document.createElement("a"), { href: "#heatmaps", textContent: `layer ${layer.layer} (${layer.name})` });
    link.dataset.layer = layer.layer;
    link.addEventListener("click", () => G.highlight(layer.layer));
    head.appendChild(link);
  });
  box.appendChild(head);
  box.appendChild(Object.assign(document.createElement("p"), { textContent: finding.cause }));
  const table = document.createElement("table");
  table.className = "evidence";
  for (const [key, value] of Object.entries(finding.evidence)) {
    const row = table.insertRow();
    row.insertCell().textContent = key;
    row.insertCell().textContent = G.fmt(value);
    row.insertCell().textContent = key in finding.thresholds ? `threshold ${G.fmt(finding.thresholds[key])}` : "";
  }
  box.appendChild(table);
  if (finding.remedies.length) box.appendChild(Object.assign(document.createElement("p"), { textContent: "Remedies, best first: " + finding.remedies.join("; ") }));
  return box;
};

G.renderConfig = () => {
  const rows = new Map();
  const flatten = (prefix, value, r) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, r);
      return;
    }
    if (!rows.has(prefix)) rows.set(prefix, []);
    rows.get(prefix)[r] = typeof value === "string" ? value : JSON.stringify(value);
  };
  G.data.runs.forEach((run, r) => flatten("", { run: run.summary, spec: run.spec }, r));
  const table = document.getElementById("config");
  const head = table.createTHead().insertRow();
  head.appendChild(Object.assign(document.createElement("th"), { textContent: "setting" }));
  G.data.runs.forEach(run => head.appendChild(Object.assign(document.createElement("th"), { textContent: run.label })));
  const body = table.createTBody();
  for (const [key, values] of rows) {
    const row = body.insertRow();
    row.insertCell().textContent = key;
    G.data.runs.forEach((_, r) => { row.insertCell().textContent = values[r] ?? ""; });
    if (new Set(G.data.runs.map((_, r) => values[r] ?? "")).size > 1) row.className = "differs";
  }
};
