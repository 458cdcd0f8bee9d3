"use strict";
// Per-layer curves over steps (smoothed, one highlighted layer) and the gradient by layer at one step.
G.smooth = (values, alpha) => {
  const out = new Float64Array(values.length);
  let s = NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    s = !Number.isFinite(v) ? s : Number.isFinite(s) ? alpha * s + (1 - alpha) * v : v;
    out[i] = Number.isFinite(v) ? s : NaN;
  }
  return out;
};
G.line = (ctx, xs, ys) => {
  ctx.beginPath();
  let open = false;
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(ys[i])) { open = false; continue; }
    if (open) ctx.lineTo(xs[i], ys[i]); else ctx.moveTo(xs[i], ys[i]);
    open = true;
  }
  ctx.stroke();
};
G.layerColor = (l, L) => G.colorAt(L === 1 ? 0 : l / (L - 1));

G.drawCurves = canvas => {
  const run = G.data.runs[+canvas.dataset.run], q = G.quantity(), stat = run.log[G.state.quantity];
  const L = run.layers.length, C = run.steps.first.length;
  const f = G.frame(G.surface(canvas, 260), { left: 64, right: 150, top: 8, bottom: 40 });
  const [d0, d1] = G.xDomain();
  const x = G.scale(d0, d1, f.left, f.right), y = G.scale(q.vmin, q.vmax, f.bottom, f.top);
  const ctx = f.ctx, xs = new Float64Array(C);
  for (let c = 0; c < C; c++) xs[c] = x((run.steps.first[c] + run.steps.last[c] + 1) / 2);
  const series = l => {
    const mids = new Float64Array(C);
    for (let c = 0; c < C; c++) mids[c] = G.mid(stat.min[l * C + c], stat.max[l * C + c]);
    return G.smooth(mids, G.state.smoothing).map(y);
  };
  const h = run.layers.findIndex(layer => layer.layer === G.state.layer);
  ctx.save();
  ctx.beginPath();
  ctx.rect(f.left, f.top, f.right - f.left, f.bottom - f.top);
  ctx.clip();
  for (let l = 0; l < L; l++) {
    if (l === h) continue;
    ctx.strokeStyle = G.layerColor(l, L);
    ctx.globalAlpha = h >= 0 ? 0.25 : 0.9;
    ctx.lineWidth = 1.2;
    G.line(ctx, xs, series(l));
  }
  ctx.globalAlpha = 1;
  if (h >= 0) {
    ctx.fillStyle = "rgba(0,0,0,0.15)";
    for (let c = 0; c < C; c++) {
      const lo = stat.min[h * C + c], hi = stat.max[h * C + c];
      if (Number.isFinite(lo) && Number.isFinite(hi)) ctx.fillRect(xs[c] - 1, y(hi), 2, Math.max(1, y(lo) - y(hi)));
    }
    ctx.strokeStyle = "#000";
    ctx.lineWidth = 2.5;
    G.line(ctx, xs, series(h));
  }
  ctx.restore();
  G.axes(f, x, y, { xTitle: "training step", yTitle: `log10 ${G.state.quantity}` });
  G.depthLegend(f, L, h >= 0 ? run.layers[h] : null);
  canvas.geom = { x, y, f, run, C, L };
};

// The legend sits right of the plot area, never over the data: layer colours from input side to output side.
G.depthLegend = (f, L, highlighted) => {
  const ctx = f.ctx, x0 = f.right + 16, top = f.top + 18, height = Math.min(140, f.bottom - f.top - 40);
  for (let i = 0; i < height; i++) {
    ctx.fillStyle = G.colorAt(i / height);
    ctx.fillRect(x0, top + height - i - 1, 12, 1.5);
  }
  ctx.fillStyle = "#333";
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  ctx.fillText("layers", x0, f.top + 6);
  ctx.fillText(`${L} (output side)`, x0 + 16, top + 4);
  ctx.fillText("1 (input side)", x0 + 16, top + height - 4);
  if (highlighted) ctx.fillText(`bold: ${highlighted.layer} (${highlighted.name})`, x0, top + height + 20);
};

G.curvesTip = (canvas, e) => {
  const g = canvas.geom;
  if (!g) return;
  const r = canvas.getBoundingClientRect(), px = e.clientX - r.left, py = e.clientY - r.top;
  if (px < g.f.left || px > g.f.right || py < g.f.top || py > g.f.bottom) return G.hideTip();
  const c = G.columnAt(g.run, Math.floor(g.x.invert(px)));
  if (c < 0) return G.hideTip();
  const stat = g.run.log[G.state.quantity], target = g.y.invert(py);
  let best = 0;
  for (let l = 1; l < g.L; l++) {
    if (Math.abs(G.mid(stat.min[l * g.C + c], stat.max[l * g.C + c]) - target) < Math.abs(G.mid(stat.min[best * g.C + c], stat.max[best * g.C + c]) - target)) best = l;
  }
  const i = best * g.C + c;
  G.showTip(e, [g.run.label, G.layerLabel(g.run.layers[best]), `step ${g.run.steps.first[c]}${g.run.steps.count[c] > 1 ? ` to ${g.run.steps.last[c]}` : ""}`,
    `${G.state.quantity} = ${G.fmt(stat.rawMin[i])}${g.run.steps.count[c] > 1 ? ` to ${G.fmt(stat.rawMax[i])}` : ""} (unsmoothed)`]);
};

G.drawProfile = canvas => {
  const q = G.quantity();
  const f = G.frame(G.surface(canvas, 280), { left: 64, right: 28, top: 8, bottom: 40 });
  const x = G.scale(0.5, G.maxLayers + 0.5, f.left, f.right), y = G.scale(q.vmin, q.vmax, f.bottom, f.top);
  const ctx = f.ctx, step = G.state.step;
  G.data.runs.forEach((run, r) => {
    const stat = run.log[G.state.quantity], C = run.steps.first.length;
    let c = G.columnAt(run, step);
    if (c < 0) c = C - 1;
    if (c < 0) return;
    const xs = run.layers.map(layer => x(layer.layer));
    const ys = run.layers.map((_, l) => y(G.mid(stat.min[l * C + c], stat.max[l * C + c])));
    ctx.strokeStyle = ctx.fillStyle = G.runColor(r);
    ctx.lineWidth = 2;
    G.line(ctx, xs, ys);
    run.layers.forEach((_, l) => {
      const lo = y(stat.min[l * C + c]), hi = y(stat.max[l * C + c]);
      if (Number.isFinite(lo) && Number.isFinite(hi) && lo - hi > 1) ctx.fillRect(xs[l] - 1, hi, 2, lo - hi);
      if (Number.isFinite(ys[l])) ctx.fillRect(xs[l] - 2.5, ys[l] - 2.5, 5, 5);
    });
  });
  const xTicks = G.ticks(1, G.maxLayers, Math.max(2, (f.right - f.left) / 50)).filter(t => Number.isInteger(t));
  G.axes(f, x, y, { xTicks, xTitle: `layer (1 = input side) at training step ${step}`, yTitle: `log10 ${G.state.quantity}` });
  canvas.geom = { x, y, f };
};

G.profileTip = (canvas, e) => {
  const g = canvas.geom;
  if (!g) return;
  const r = canvas.getBoundingClientRect(), number = Math.round(g.x.invert(e.clientX - r.left));
  if (number < 1 || number > G.maxLayers) return G.hideTip();
  const lines = [];
  G.data.runs.forEach(run => {
    const l = run.layers.findIndex(layer => layer.layer === number), C = run.steps.first.length;
    let c = G.columnAt(run, G.state.step);
    if (c < 0) c = C - 1;
    if (l < 0 || c < 0) return;
    lines.push(`${run.label}: ${G.layerLabel(run.layers[l])}, step ${run.steps.first[c]}: ${G.state.quantity} = ${G.fmt(run.log[G.state.quantity].rawMin[l * C + c])}`);
  });
  G.showTip(e, lines.length ? lines : [`layer ${number}: no run has it`]);
};

G.initCurves = () => {
  const canvases = [...document.querySelectorAll("canvas.curves")];
  for (const canvas of canvases) {
    G.zoomable(canvas);
    canvas.addEventListener("mousemove", e => G.curvesTip(canvas, e));
    canvas.addEventListener("mouseleave", G.hideTip);
  }
  const profile = document.getElementById("profile");
  profile.addEventListener("mousemove", e => G.profileTip(profile, e));
  profile.addEventListener("mouseleave", G.hideTip);
  G.drawers.push(() => {
    canvases.forEach(G.drawCurves);
    G.drawProfile(profile);
  });
};
