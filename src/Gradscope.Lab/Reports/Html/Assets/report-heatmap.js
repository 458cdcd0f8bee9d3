"use strict";
// The layers x steps heatmaps: one per run, all on the one colour scale the page carries for the quantity shown.
G.heatmapHeight = layers => Math.max(180, Math.min(560, 60 + layers * 16));

G.drawHeatmap = canvas => {
  const run = G.data.runs[+canvas.dataset.run];
  const q = G.quantity();
  canvas.dataset.vmin = String(q.vmin);
  canvas.dataset.vmax = String(q.vmax);
  canvas.dataset.quantity = G.state.quantity;
  const L = run.layers.length, C = run.steps.first.length;
  const f = G.frame(G.surface(canvas, G.heatmapHeight(L)), { left: 118, right: 28, top: 8, bottom: 40 });
  const [d0, d1] = G.xDomain();
  const x = G.scale(d0, d1, f.left, f.right), y = G.scale(0, L, f.bottom, f.top);
  const values = run.log[G.state.quantity][G.state.reduce];
  const ctx = f.ctx;
  ctx.save();
  ctx.beginPath();
  ctx.rect(f.left, f.top, f.right - f.left, f.bottom - f.top);
  ctx.clip();
  for (let c = 0; c < C; c++) {
    const x0 = Math.floor(x(run.steps.first[c])), x1 = Math.ceil(x(run.steps.last[c] + 1));
    if (x1 < f.left || x0 > f.right) continue;
    for (let l = 0; l < L; l++) {
      const v = values[l * C + c];
      ctx.fillStyle = v === -Infinity ? G.zeroColor : Number.isFinite(v) ? G.colorAt((v - q.vmin) / (q.vmax - q.vmin)) : G.nonFiniteColor;
      const y0 = Math.floor(y(l + 1)), y1 = Math.ceil(y(l));
      ctx.fillRect(x0, y0, Math.max(1, x1 - x0), y1 - y0);
    }
  }
  ctx.restore();
  const highlighted = run.layers.findIndex(layer => layer.layer === G.state.layer);
  if (highlighted >= 0) {
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 2;
    ctx.strokeRect(f.left + 1, y(highlighted + 1), f.right - f.left - 2, y(highlighted) - y(highlighted + 1));
  }
  const every = Math.max(1, Math.ceil(14 / ((f.bottom - f.top) / L)));
  const yTicks = [];
  for (let l = 0; l < L; l += every) yTicks.push(l + 0.5);
  G.axes(f, x, y, {
    yTicks,
    yFormat: t => { const layer = run.layers[Math.floor(t)]; return `${layer.layer} (${layer.name})`; },
    xTitle: "training step (drag or wheel to zoom, double-click to reset)",
    yTitle: "layer (1 = input side)",
  });
  canvas.geom = { x, y, f, run, C, L };
};

G.heatmapTip = (canvas, e) => {
  const g = canvas.geom;
  if (!g) return;
  const r = canvas.getBoundingClientRect(), px = e.clientX - r.left, py = e.clientY - r.top;
  if (px < g.f.left || px > g.f.right || py < g.f.top || py > g.f.bottom) return G.hideTip();
  const l = Math.min(g.L - 1, Math.max(0, Math.floor(g.y.invert(py)))), c = G.columnAt(g.run, Math.floor(g.x.invert(px)));
  if (c < 0) return G.hideTip();
  const name = G.state.quantity, stat = g.run.log[name], i = l * g.C + c;
  const first = g.run.steps.first[c], last = g.run.steps.last[c], count = g.run.steps.count[c];
  const lines = [g.run.label, G.layerLabel(g.run.layers[l])];
  if (count === 1) {
    lines.push(`step ${first}`, `${name} = ${G.fmt(stat.rawMin[i])}`);
  } else {
    lines.push(`steps ${first} to ${last} (${count} recorded steps in this cell)`, `${name} min = ${G.fmt(stat.rawMin[i])}`, `${name} max = ${G.fmt(stat.rawMax[i])}`);
  }
  lines.push(`log10 ${name} = ${G.fmt(+stat[G.state.reduce][i].toFixed(4))}`);
  G.showTip(e, lines);
};

G.drawColorbar = canvas => {
  const q = G.quantity();
  const f = G.frame(G.surface(canvas, 58), { left: 118, right: 28, top: 6, bottom: 34 });
  const x = G.scale(q.vmin, q.vmax, f.left, f.right);
  for (let px = f.left; px < f.right; px++) {
    f.ctx.fillStyle = G.colorAt((px - f.left) / (f.right - f.left));
    f.ctx.fillRect(px, f.top, 1.5, f.bottom - f.top);
  }
  G.axes(f, x, G.scale(0, 1, f.bottom, f.top), { yTicks: [], xTitle: `log10 ${G.state.quantity}: one scale for every run (${G.fmt(q.vmin)} to ${G.fmt(q.vmax)})` });
  canvas.dataset.vmin = String(q.vmin);
  canvas.dataset.vmax = String(q.vmax);
};

G.initHeatmaps = () => {
  const canvases = [...document.querySelectorAll("canvas.heatmap")];
  for (const canvas of canvases) {
    G.zoomable(canvas);
    canvas.addEventListener("mousemove", e => G.heatmapTip(canvas, e));
    canvas.addEventListener("mouseleave", G.hideTip);
    canvas.addEventListener("click", e => {
      const g = canvas.geom, r = canvas.getBoundingClientRect();
      if (!g) return;
      const l = Math.floor(g.y.invert(e.clientY - r.top));
      if (l >= 0 && l < g.L) G.highlight(g.run.layers[l].layer);
    });
  }
  G.drawers.push(() => {
    canvases.forEach(G.drawHeatmap);
    G.drawColorbar(document.getElementById("colorbar"));
  });
};
