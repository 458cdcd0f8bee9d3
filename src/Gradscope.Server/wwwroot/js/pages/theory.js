// The theory page: the mean-field phase diagram (sigma_w^2 x sigma_b^2, coloured by chi_1, with
// the critical line) for one activation, the run's point marked, and the quantities there.
import { api, query } from "../api.js";
import { el, errorBox, panel } from "../dom.js";
import { axes, fmt, frame, hideTip, message, scale, showTip, surface } from "../charts.js";

const ACTIVATIONS = ["tanh", "sigmoid", "relu", "leaky-relu", "elu", "selu", "gelu", "silu", "softplus", "softsign", "hard-tanh", "identity"];
const pick = (o, ...names) => { for (const n of names) if (o && o[n] !== undefined) return o[n]; return undefined; };

export async function render(main, params) {
  document.title = "Theory · Gradscope";
  const state = { activation: params.get("activation") || "tanh", weight_var: params.get("weight_var") || "", bias_var: params.get("bias_var") || "", depth: params.get("depth") || "" };
  const canvas = el("canvas", { class: "chart", id: "phase-diagram", role: "img", "aria-label": "Phase diagram: chi_1 over sigma_w^2 and sigma_b^2 with the critical line" });
  const facts = el("div", { id: "theory-facts" });
  const input = (label, key, attrs) => el("label", {}, label, el("input", { type: "number", name: key, value: state[key], step: "any", ...attrs, onchange: e => { state[key] = e.target.value; update(); } }));
  main.append(el("h1", { text: "Theory: signal propagation at initialization" }),
    el("section", { class: "panel", "aria-label": "Parameters" }, el("div", { class: "row" },
      el("label", {}, "Activation", el("select", { name: "activation", onchange: e => { state.activation = e.target.value; update(); } },
        ACTIVATIONS.map(a => el("option", { value: a, text: a, selected: a === state.activation })))),
      input("σw²", "weight_var", { min: "0" }), input("σb²", "bias_var", { min: "0" }), input("Depth", "depth", { min: "1" }))),
    panel("Phase diagram", el("div", { class: "chartbox" }, canvas),
      el("p", { class: "legend", text: "Blue: ordered phase (χ₁ < 1, gradients vanish with depth); red: chaotic (χ₁ > 1, they explode); black line: the critical line χ₁ = 1. The ring marks (σw², σb²); click the diagram to move it." })),
    panel("Mean-field quantities", facts));

  let diagram = null, latest = 0;
  async function update() {
    const mine = ++latest;
    history.replaceState(null, "", "/theory" + query(state));
    try {
      if (!diagram || diagram.activation !== state.activation) {
        message(canvas, `Computing the ${state.activation} phase diagram…`, 380);
        const answer = await api("/api/theory/phase-diagram" + query({ activation: state.activation }));
        if (mine !== latest) return; // a newer choice is on its way
        diagram = answer;
      }
      draw(canvas, diagram, state, (w, b) => { state.weight_var = w.toFixed(3); state.bias_var = b.toFixed(3); main.querySelector("[name=weight_var]").value = state.weight_var; main.querySelector("[name=bias_var]").value = state.bias_var; update(); });
      if (state.weight_var !== "") {
        const t = await api("/api/theory" + query(state));
        facts.replaceChildren(el("table", { class: "data" }, el("tbody", {}, Object.entries(t).filter(([, v]) => typeof v !== "object" || v === null)
          .map(([k, v]) => el("tr", {}, el("th", { text: k }), el("td", { text: typeof v === "number" ? fmt(v) : String(v ?? "–") }))))));
      } else facts.replaceChildren(el("p", { class: "muted", text: "Set σw² (and σb²) to see χ₁, the depth scales and the predicted gradient ratio." }));
    } catch (error) { facts.replaceChildren(errorBox(error)); }
  }
  await update();
}

function color(chi) {
  if (!(chi > 0)) return "#ddd";
  const t = Math.max(-1, Math.min(1, Math.log(chi) * 1.5));
  const k = Math.abs(t), c = Math.round(255 * (1 - k));
  return t < 0 ? `rgb(${c},${Math.round(255 - 120 * k)},255)` : `rgb(255,${Math.round(255 - 140 * k)},${c})`;
}

function draw(canvas, d, state, onPick) {
  const ws = pick(d, "weight_variances", "weight_vars", "weight_var") || [], bs = pick(d, "bias_variances", "bias_vars", "bias_var") || [];
  const cells = d.cells || [];
  const f = frame(surface(canvas, 380), { left: 58, right: 16, top: 10, bottom: 40 });
  const dw = ws.length > 1 ? ws[1] - ws[0] : 1, db = bs.length > 1 ? bs[1] - bs[0] : 1;
  const x = scale(ws[0] - dw / 2, ws[ws.length - 1] + dw / 2, f.left, f.right), y = scale(bs[0] - db / 2, bs[bs.length - 1] + db / 2, f.bottom, f.top);
  cells.forEach((c, i) => {
    const w = pick(c, "weight_var", "weight_variance") ?? ws[i % ws.length], b = pick(c, "bias_var", "bias_variance") ?? bs[Math.floor(i / ws.length)];
    f.ctx.fillStyle = color(pick(c, "chi1", "chi_1"));
    f.ctx.fillRect(Math.floor(x(w - dw / 2)), Math.floor(y(b + db / 2)), Math.ceil(x(w + dw / 2) - x(w - dw / 2)) + 1, Math.ceil(y(b - db / 2) - y(b + db / 2)) + 1);
  });
  const line = (pick(d, "critical_line", "critical") || []).map(p => [pick(p, "weight_var", "weight_variance"), pick(p, "bias_var", "bias_variance")]).filter(p => p[0] !== null && p[0] !== undefined);
  f.ctx.strokeStyle = "#000"; f.ctx.lineWidth = 2; f.ctx.beginPath();
  line.forEach(([w, b], i) => (i ? f.ctx.lineTo(x(w), y(b)) : f.ctx.moveTo(x(w), y(b))));
  f.ctx.stroke();
  const mw = parseFloat(state.weight_var), mb = parseFloat(state.bias_var || "0");
  canvas.dataset.marked = "false";
  if (Number.isFinite(mw)) {
    f.ctx.strokeStyle = "#000"; f.ctx.lineWidth = 3; f.ctx.beginPath(); f.ctx.arc(x(mw), y(mb), 8, 0, 2 * Math.PI); f.ctx.stroke();
    f.ctx.strokeStyle = "#fff"; f.ctx.lineWidth = 1.5; f.ctx.stroke();
    Object.assign(canvas.dataset, { marked: "true", markX: String(x(mw)), markY: String(y(mb)) });
  }
  axes(f, x, y, { xTitle: "σw² (weight variance × fan-in)", yTitle: "σb²" });
  canvas.dataset.cells = String(cells.length);
  canvas.onclick = e => { const r = canvas.getBoundingClientRect(); onPick(Math.max(1e-3, x.invert(e.clientX - r.left)), Math.max(0, y.invert(e.clientY - r.top))); };
  canvas.onmousemove = e => {
    const r = canvas.getBoundingClientRect(), w = x.invert(e.clientX - r.left), b = y.invert(e.clientY - r.top);
    const wi = Math.round((w - ws[0]) / dw), bi = Math.round((b - bs[0]) / db);
    const c = cells[bi * ws.length + wi];
    if (!c || wi < 0 || wi >= ws.length) return hideTip();
    showTip(e, [`σw² = ${fmt(ws[wi])}, σb² = ${fmt(bs[bi])}`, `χ₁ = ${fmt(pick(c, "chi1", "chi_1"))}`, `phase: ${c.phase ?? "?"}`, `depth scale ${fmt(pick(c, "depth_scale"))}`]);
  };
  canvas.onmouseleave = hideTip;
}
