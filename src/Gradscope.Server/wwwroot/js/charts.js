// Canvas basics every chart shares (ideas from the HTML report's report-core.js): a sized surface,
// linear scales, "nice" ticks, axes, the viridis colour map, number formatting and one tooltip.

// log10 of a statistic: -Infinity for an exact zero, NaN for a missing or non-finite value.
export const log10 = v => (v === null || v === undefined ? NaN : v > 0 && Number.isFinite(v) ? Math.log10(v) : v === 0 ? -Infinity : NaN);

export const fmt = v => (v === null || v === undefined ? "n/a" : typeof v !== "number" ? String(v) : Number.isFinite(v)
  ? (v === 0 ? "0" : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? String(+v.toPrecision(5)) : v.toExponential(3)) : String(v));

export const percent = v => (v === null || v === undefined || !Number.isFinite(v) ? "–" : (100 * v).toFixed(1) + "%");

export function surface(canvas, height, minWidth = 280, fixedWidth = 0) {
  const dpr = window.devicePixelRatio || 1;
  const width = fixedWidth || Math.max(minWidth, Math.floor(canvas.parentElement.clientWidth || 800));
  canvas.style.width = width + "px";
  canvas.style.height = height + "px";
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  ctx.font = "12px system-ui, sans-serif";
  return { ctx, width, height };
}

export const frame = (s, m) => ({ ...s, left: m.left, top: m.top, right: s.width - m.right, bottom: s.height - m.bottom });

export function scale(d0, d1, r0, r1) {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = v => r0 + (v - d0) * k;
  f.invert = p => (k === 0 ? d0 : d0 + (p - r0) / k);
  f.domain = [d0, d1];
  return f;
}

export function ticks(min, max, count) {
  const span = max - min;
  if (!(span > 0)) return [min];
  let step = Math.pow(10, Math.floor(Math.log10(span / count)));
  const err = (count / span) * step;
  step *= err <= 0.15 ? 10 : err <= 0.35 ? 5 : err <= 0.75 ? 2 : 1;
  const out = [];
  for (let k = Math.ceil(min / step); k * step <= max + step * 1e-9; k++) out.push(+(k * step).toPrecision(12));
  return out;
}

export function axes(f, x, y, o = {}) {
  const ctx = f.ctx;
  ctx.strokeStyle = "#888";
  ctx.lineWidth = 1;
  ctx.strokeRect(f.left + 0.5, f.top + 0.5, f.right - f.left, f.bottom - f.top);
  ctx.fillStyle = "#333";
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of o.xTicks || ticks(x.domain[0], x.domain[1], Math.max(2, (f.right - f.left) / 90))) {
    const px = x(t);
    if (px < f.left - 1 || px > f.right + 1) continue;
    ctx.fillRect(px, f.bottom, 1, 4);
    ctx.fillText(o.xFormat ? o.xFormat(t) : String(t), px, f.bottom + 6);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of o.yTicks || ticks(y.domain[0], y.domain[1], Math.max(2, (f.bottom - f.top) / 36))) {
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
}

export function message(canvas, text, height = 60) {
  const s = surface(canvas, height);
  s.ctx.fillStyle = "#555";
  s.ctx.fillText(text, 12, height / 2 + 4);
  canvas.dataset.empty = "true";
}

// Viridis (matplotlib's perceptually uniform map), nine stops interpolated.
const VIRIDIS = [[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37]];
export function colorAt(t) {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u)), k = u - i;
  const a = VIRIDIS[i], b = VIRIDIS[i + 1];
  return `rgb(${Math.round(a[0] + (b[0] - a[0]) * k)},${Math.round(a[1] + (b[1] - a[1]) * k)},${Math.round(a[2] + (b[2] - a[2]) * k)})`;
}
export const ZERO_COLOR = "#111", NON_FINITE_COLOR = "#ff2fa0", MISSING_COLOR = "#ddd";
export const RUN_COLORS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
export const runColor = i => RUN_COLORS[i % RUN_COLORS.length];

export function showTip(event, lines) {
  const tip = document.getElementById("tooltip");
  tip.replaceChildren(...lines.map(text => Object.assign(document.createElement("div"), { textContent: text })));
  tip.hidden = false;
  const pad = 14, w = tip.offsetWidth, h = tip.offsetHeight;
  const left = event.clientX + pad + w > window.innerWidth ? event.clientX - pad - w : event.clientX + pad;
  const top = event.clientY + pad + h > window.innerHeight ? event.clientY - pad - h : event.clientY + pad;
  tip.style.left = Math.max(0, left) + window.scrollX + "px";
  tip.style.top = Math.max(0, top) + window.scrollY + "px";
}
export const hideTip = () => { const tip = document.getElementById("tooltip"); if (tip) tip.hidden = true; };

// Ticks of a log10 axis: whole decades when the range spans one or more, else plain ticks.
export function decadeTicks(min, max, count) {
  const out = [];
  const every = Math.max(1, Math.ceil((max - min) / Math.max(2, count)));
  for (let t = Math.ceil(min); t <= max; t += every) out.push(t);
  return out.length >= 2 ? out : null;
}
// Off-decade ticks (a range under a decade) read 0.04, 0.025, 4e-4: at most 3 significant digits.
export const decadeLabel = t => (Number.isInteger(t) ? `1e${t}` : shortNumber(Math.pow(10, t)));
export const shortNumber = v => (v === 0 || !Number.isFinite(v) ? String(v) : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5
  ? String(+v.toPrecision(2)) : v.toExponential(1).replace(/\.0e/, "e").replace("e+", "e"));

// Finite minimum and maximum of values (arrays of arrays allowed), or null.
export function extent(values, map = v => v) {
  let lo = Infinity, hi = -Infinity;
  const visit = a => { for (const v of a) { if (Array.isArray(v)) visit(v); else { const m = map(v); if (Number.isFinite(m)) { if (m < lo) lo = m; if (m > hi) hi = m; } } } };
  visit(values);
  return lo <= hi ? [lo, hi === lo ? lo + 1 : hi] : null;
}
