// Line charts (per-layer curves, loss, accuracy, activations) and bar charts (gradient by layer).
import { axes, decadeLabel, decadeTicks, extent, fmt, frame, hideTip, log10, scale, showTip, surface, message } from "./charts.js";

// series: [{label, color, xs, ys}]; o: {height, log, xDomain, yDomain, xTitle, yTitle, marker, empty}.
export function drawLines(canvas, series, o = {}) {
  const tf = o.log ? log10 : v => (v === null || v === undefined ? NaN : v);
  const ys = series.map(s => s.ys.map(tf));
  const xr = o.xDomain || extent(series.map(s => s.xs));
  const yr = o.yDomain || extent(ys);
  if (!xr || !yr) { message(canvas, o.empty || "No data yet."); canvas.geom = null; return; }
  delete canvas.dataset.empty;
  const f = frame(surface(canvas, o.height || 220), { left: 66, right: 14, top: 10, bottom: 36 });
  const pad = (yr[1] - yr[0]) * 0.04;
  const x = scale(xr[0], xr[1], f.left, f.right), y = scale(yr[0] - pad, yr[1] + pad, f.bottom, f.top);
  const ctx = f.ctx;
  ctx.save();
  ctx.beginPath(); ctx.rect(f.left, f.top, f.right - f.left, f.bottom - f.top); ctx.clip();
  series.forEach((s, k) => {
    ctx.strokeStyle = s.color; ctx.lineWidth = s.width || 1.4; ctx.globalAlpha = s.alpha || 1;
    ctx.beginPath();
    stroke(ctx, s.xs, ys[k], x, y);
    ctx.stroke();
  });
  ctx.globalAlpha = 1;
  if (o.marker !== undefined && o.marker !== null) { ctx.fillStyle = "#ff3b30"; ctx.fillRect(Math.round(x(o.marker)), f.top, 1.5, f.bottom - f.top); }
  ctx.restore();
  axes(f, x, y, { xTitle: o.xTitle || "training step", yTitle: o.yTitle, yTicks: o.log ? decadeTicks(y.domain[0], y.domain[1], (f.bottom - f.top) / 30) : undefined, yFormat: o.log ? decadeLabel : undefined });
  canvas.geom = { f, x, y, series, ys, log: o.log };
  canvas.dataset.series = String(series.length);
  if (!canvas.dataset.tips) {
    canvas.dataset.tips = "1";
    canvas.addEventListener("mouseleave", hideTip);
    canvas.addEventListener("mousemove", e => lineTip(canvas, e));
  }
}

// The path of one series; where several points share a pixel column, it keeps their first,
// lowest, highest and last (the line looks the same, drawn from far fewer segments).
function stroke(ctx, xs, ys, x, y) {
  let pen = false, column = NaN, lo = 0, hi = 0, lastY = 0, count = 0;
  const flush = () => { if (pen && count > 1) { ctx.lineTo(column, lo); ctx.lineTo(column, hi); ctx.lineTo(column, lastY); } };
  for (let i = 0; i < xs.length; i++) {
    const v = ys[i];
    if (!Number.isFinite(v)) { flush(); pen = false; column = NaN; continue; }
    const px = Math.round(x(xs[i])), py = y(v);
    if (pen && px === column) { lo = Math.min(lo, py); hi = Math.max(hi, py); lastY = py; count++; continue; }
    flush();
    if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
    pen = true; column = px; lo = hi = lastY = py; count = 1;
  }
  flush();
}

function lineTip(canvas, e) {
  const g = canvas.geom;
  if (!g) return;
  const r = canvas.getBoundingClientRect(), cx = e.clientX - r.left, cy = e.clientY - r.top;
  if (cx < g.f.left || cx > g.f.right || cy < g.f.top || cy > g.f.bottom) return hideTip();
  let best = null;
  g.series.forEach((s, k) => {
    for (let i = 0; i < s.xs.length; i++) {
      const v = g.ys[k][i];
      if (!Number.isFinite(v)) continue;
      const d = Math.hypot(g.x(s.xs[i]) - cx, g.y(v) - cy);
      if (!best || d < best.d) best = { d, s, i };
    }
  });
  if (!best || best.d > 30) return hideTip();
  showTip(e, [best.s.label, `step ${best.s.xs[best.i]}`, `value ${fmt(best.s.ys[best.i])}`]);
}

// items: [{label, value, color}]; bars of log10(value) (o.log) or value, the layer index on x.
export function drawBars(canvas, items, o = {}) {
  const tf = o.log ? log10 : v => v;
  const vals = items.map(it => tf(it.value));
  const yr = o.yDomain || extent(vals);
  if (!items.length || !yr) { message(canvas, o.empty || "No data yet."); return; }
  delete canvas.dataset.empty;
  const f = frame(surface(canvas, o.height || 200), { left: 66, right: 14, top: 10, bottom: 36 });
  const x = scale(0, items.length, f.left, f.right), y = scale(yr[0] - (yr[1] - yr[0]) * 0.05, yr[1], f.bottom, f.top);
  const w = Math.max(1, (f.right - f.left) / items.length - 1);
  items.forEach((it, i) => {
    const v = vals[i];
    f.ctx.fillStyle = Number.isFinite(v) ? it.color || "#2a5bd7" : "#ff2fa0";
    const top = Number.isFinite(v) ? y(v) : f.top;
    f.ctx.fillRect(x(i) + 0.5, top, w, f.bottom - top);
  });
  const every = Math.max(1, Math.ceil(items.length / ((f.right - f.left) / 34)));
  const xTicks = [];
  for (let i = 0; i < items.length; i += every) xTicks.push(i + 0.5);
  axes(f, x, y, { xTicks, xFormat: t => items[Math.floor(t)].label, xTitle: o.xTitle || "layer (input side first)", yTitle: o.yTitle, yTicks: o.log ? decadeTicks(y.domain[0], y.domain[1], (f.bottom - f.top) / 30) : undefined, yFormat: o.log ? decadeLabel : undefined });
  canvas.geom = { f, x, items };
  canvas.dataset.bars = String(items.length);
  if (!canvas.dataset.tips) {
    canvas.dataset.tips = "1";
    canvas.addEventListener("mouseleave", hideTip);
    canvas.addEventListener("mousemove", e => {
      const g = canvas.geom, r = canvas.getBoundingClientRect(), i = Math.floor(g.x.invert(e.clientX - r.left));
      if (i < 0 || i >= g.items.length) return hideTip();
      showTip(e, [g.items[i].title || g.items[i].label, `${o.name || "value"} = ${fmt(g.items[i].value)}`]);
    });
  }
}
