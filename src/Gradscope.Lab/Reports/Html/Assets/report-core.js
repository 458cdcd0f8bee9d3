"use strict";
// Shared state, data decoding, scales, axes, colours, tooltip and zoom for every chart of the report.
const G = {};
G.data = JSON.parse(document.getElementById("report-data").textContent);
G.state = { quantity: "delta_rms", reduce: "min", layer: null, zoom: null, smoothing: 0.6, step: 0, histLayer: 1, histKind: "gradient" };
G.drawers = [];
G.redraw = () => G.drawers.forEach(draw => draw());
G.runColors = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
G.runColor = i => G.runColors[i % G.runColors.length];

G.decode = b64 => {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Float64Array(bytes.buffer);
};
// log10 of a statistic: -Infinity for an exact zero, NaN for a non-finite or missing value.
G.log10 = v => (v > 0 && Number.isFinite(v) ? Math.log10(v) : v === 0 ? -Infinity : NaN);
G.fmt = v => (v === null || v === undefined ? "n/a" : Number.isFinite(v) ? (v === 0 ? "0" : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? String(+v.toPrecision(7)) : v.toExponential(6)) : String(v));

for (const run of G.data.runs) {
  run.log = {};
  for (const [name, stat] of Object.entries(run.stats)) {
    const min = G.decode(stat.min), max = G.decode(stat.max);
    run.log[name] = { rawMin: min, rawMax: max, min: min.map(G.log10), max: max.map(G.log10) };
  }
  run.lossMin = G.decode(run.loss.min);
  run.lossMax = G.decode(run.loss.max);
}
G.maxLayers = Math.max(1, ...G.data.runs.map(r => r.layers.length));
G.lastStep = Math.max(0, ...G.data.runs.map(r => (r.steps.last.length ? r.steps.last[r.steps.last.length - 1] : 0)));
G.xDomain = () => G.state.zoom || [0, G.lastStep + 1];
G.quantity = () => G.data.quantities[G.state.quantity];
G.layerLabel = layer => `layer ${layer.layer} (${layer.name})`;

// The recorded column holding training step `step`, or -1.
G.columnAt = (run, step) => {
  const first = run.steps.first, last = run.steps.last;
  let lo = 0, hi = first.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (step < first[mid]) hi = mid - 1;
    else if (step > last[mid]) lo = mid + 1;
    else return mid;
  }
  return -1;
};
// The value a line shows for a window: the mean of its log10 minimum and maximum (the one step's value when not downsampled).
G.mid = (min, max) => (Number.isFinite(min) && Number.isFinite(max) ? (min + max) / 2 : Number.isFinite(min) ? min : max);

G.surface = (canvas, height) => {
  const dpr = window.devicePixelRatio || 1;
  const width = Math.max(320, canvas.parentElement.clientWidth || 800);
  canvas.style.width = width + "px";
  canvas.style.height = height + "px";
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  ctx.font = "12px system-ui, sans-serif";
  return { ctx, width, height };
};
G.frame = (s, m) => ({ ...s, left: m.left, top: m.top, right: s.width - m.right, bottom: s.height - m.bottom });
G.scale = (d0, d1, r0, r1) => {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = v => r0 + (v - d0) * k;
  f.invert = p => (k === 0 ? d0 : d0 + (p - r0) / k);
  f.domain = [d0, d1];
  return f;
};
G.ticks = (min, max, count) => {
  const span = max - min;
  if (!(span > 0)) return [min];
  let step = Math.pow(10, Math.floor(Math.log10(span / count)));
  const err = (count / span) * step;
  step *= err <= 0.15 ? 10 : err <= 0.35 ? 5 : err <= 0.75 ? 2 : 1;
  const ticks = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(+t.toPrecision(12));
  return ticks;
};
G.axes = (f, x, y, o) => {
  const ctx = f.ctx;
  ctx.strokeStyle = "#888";
  ctx.lineWidth = 1;
  ctx.strokeRect(f.left + 0.5, f.top + 0.5, f.right - f.left, f.bottom - f.top);
  ctx.fillStyle = "#333";
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of o.xTicks || G.ticks(x.domain[0], x.domain[1], Math.max(2, (f.right - f.left) / 90))) {
    const px = x(t);
    if (px < f.left - 1 || px > f.right + 1) continue;
    ctx.fillRect(px, f.bottom, 1, 4);
    ctx.fillText(o.xFormat ? o.xFormat(t) : String(t), px, f.bottom + 6);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of o.yTicks || G.ticks(y.domain[0], y.domain[1], Math.max(2, (f.bottom - f.top) / 40))) {
    const py = y(t);
    if (py < f.top - 1 || py > f.bottom + 1) continue;
    ctx.fillRect(f.left - 4, py, 4, 1);
    ctx.fillText(o.yFormat ? o.yFormat(t) : String(t), f.left - 6, py);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  if (o.xTitle) ctx.fillText(o.xTitle, (f.left + f.right) / 2, f.height - 2);
  if (o.yTitle) {
    ctx.save();
    ctx.translate(12, (f.top + f.bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle";
    ctx.fillText(o.yTitle, 0, 0);
    ctx.restore();
  }
};
G.message = (canvas, text) => {
  const s = G.surface(canvas, 60);
  s.ctx.fillStyle = "#555";
  s.ctx.fillText(text, 12, 34);
};

// Viridis (matplotlib's perceptually uniform map), sampled at nine stops and interpolated.
G.viridis = [[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37]];
G.colorAt = t => {
  const u = Math.min(1, Math.max(0, t)) * (G.viridis.length - 1);
  const i = Math.min(G.viridis.length - 2, Math.floor(u)), k = u - i;
  const a = G.viridis[i], b = G.viridis[i + 1];
  return `rgb(${Math.round(a[0] + (b[0] - a[0]) * k)},${Math.round(a[1] + (b[1] - a[1]) * k)},${Math.round(a[2] + (b[2] - a[2]) * k)})`;
};
G.zeroColor = "#111";
G.nonFiniteColor = "#ff2fa0";
G.missingColor = "#ddd";

G.tooltip = document.getElementById("tooltip");
G.showTip = (event, lines) => {
  G.tooltip.replaceChildren(...lines.map(text => Object.assign(document.createElement("div"), { textContent: text })));
  G.tooltip.hidden = false;
  const pad = 14, w = G.tooltip.offsetWidth, h = G.tooltip.offsetHeight;
  const left = event.clientX + pad + w > window.innerWidth ? event.clientX - pad - w : event.clientX + pad;
  G.tooltip.style.left = Math.max(0, left) + window.scrollX + "px";
  G.tooltip.style.top = Math.max(0, event.clientY + pad + h > window.innerHeight ? event.clientY - pad - h : event.clientY + pad) + window.scrollY + "px";
};
G.hideTip = () => { G.tooltip.hidden = true; };

// Drag across a chart to zoom every step axis to that range; the wheel zooms around the pointer; double-click resets.
G.zoomable = canvas => {
  const band = document.createElement("div");
  band.className = "selection";
  band.hidden = true;
  canvas.parentElement.appendChild(band);
  let start = null;
  const px = e => e.clientX - canvas.getBoundingClientRect().left;
  canvas.addEventListener("mousedown", e => { if (canvas.geom) start = px(e); });
  window.addEventListener("mousemove", e => {
    if (start === null) return;
    const a = Math.min(start, px(e)), b = Math.max(start, px(e));
    Object.assign(band.style, { left: canvas.offsetLeft + a + "px", width: b - a + "px", top: canvas.offsetTop + "px", height: canvas.offsetHeight + "px" });
    band.hidden = b - a < 4;
  });
  window.addEventListener("mouseup", e => {
    if (start === null) return;
    const a = Math.min(start, px(e)), b = Math.max(start, px(e)), x = canvas.geom.x;
    start = null;
    band.hidden = true;
    if (b - a >= 4) G.setZoom(x.invert(a), x.invert(b));
  });
  canvas.addEventListener("wheel", e => {
    if (!canvas.geom) return;
    e.preventDefault();
    const [d0, d1] = G.xDomain(), at = canvas.geom.x.invert(px(e)), k = e.deltaY > 0 ? 1.25 : 0.8;
    G.setZoom(at - (at - d0) * k, at + (d1 - at) * k);
  }, { passive: false });
  canvas.addEventListener("dblclick", () => G.setZoom(null));
};
G.setZoom = (from, to) => {
  if (from === null) G.state.zoom = null;
  else {
    const lo = Math.max(0, from), hi = Math.min(G.lastStep + 1, to);
    G.state.zoom = hi - lo >= 1 && (lo > 0 || hi < G.lastStep + 1) ? [lo, hi] : null;
  }
  document.getElementById("zoom-state").textContent = G.state.zoom ? `steps ${Math.round(G.state.zoom[0])} to ${Math.round(G.state.zoom[1])}` : "all steps";
  G.redraw();
};
