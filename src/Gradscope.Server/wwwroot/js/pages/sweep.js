// One sweep: matrices of orders lost and accuracy, depth (rows) x activation (columns), one pair
// per value of the remaining settings (the init); each cell links to its runs.
import { api, query } from "../api.js";
import { el, panel } from "../dom.js";
import { colorAt, fmt, percent } from "../charts.js";

const ROW_KEYS = ["layers", "depth", "hidden"], COLUMN_KEYS = ["activation"];

export async function render(main, params, name) {
  document.title = `Sweep ${name} · Gradscope`;
  const sweep = await api(`/api/sweeps/${encodeURIComponent(name)}`);
  const cells = (sweep.cells || []).map(c => ({ ...c, settings: parseCell(c.cell) }));
  const keys = [...new Set(cells.flatMap(c => Object.keys(c.settings)))];
  const rowKey = ROW_KEYS.find(k => keys.includes(k)) || keys[0];
  const colKey = COLUMN_KEYS.find(k => keys.includes(k) && k !== rowKey) || keys.find(k => k !== rowKey);
  const rest = keys.filter(k => k !== rowKey && k !== colKey);
  const groups = new Map();
  for (const c of cells) {
    const key = rest.map(k => `${k}=${c.settings[k] ?? "–"}`).join(" ") || "all";
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(c);
  }
  const trials = sweep.trials || {};
  main.append(el("p", {}, el("a", { href: "/sweeps", text: "← Sweeps" })), el("h1", { text: `Sweep ${sweep.name || name}` }),
    el("p", { class: "muted", text: `${trials.total ?? cells.length} trials; rows: ${rowKey || "–"}, columns: ${colKey || "–"}. ${sweep.spread || ""}` }));
  if (!cells.length) { main.append(el("p", { text: "No cells yet." })); return; }
  for (const [label, group] of groups) {
    main.append(panel(label === "all" ? "Every trial" : label, el("div", { class: "grid2" },
      el("div", {}, el("h3", { text: "Orders of magnitude lost (first to last layer)" }), matrix(group, rowKey, colKey, "orders_lost", v => fmt(v), v => 1 - Math.min(1, Math.max(0, v / 8)))),
      el("div", {}, el("h3", { text: "Test accuracy" }), matrix(group, rowKey, colKey, "test_accuracy", percent, v => v)))));
  }
}

// "activation=tanh layers=2x32" -> {activation: "tanh", layers: "2x32"}.
function parseCell(text) {
  const out = {};
  for (const part of (text || "").split(/\s+/)) { const at = part.indexOf("="); if (at > 0) out[part.slice(0, at)] = part.slice(at + 1); }
  return out;
}

const depthOf = v => { const m = /^(\d+)x/.exec(v || ""); return m ? +m[1] : (v || "").split(",").length; };

function matrix(cells, rowKey, colKey, measure, show, shade) {
  const rows = [...new Set(cells.map(c => c.settings[rowKey]))].sort((a, b) => depthOf(a) - depthOf(b) || String(a).localeCompare(String(b)));
  const cols = [...new Set(cells.map(c => c.settings[colKey]))];
  return el("table", { class: "data matrix", "data-measure": measure },
    el("thead", {}, el("tr", {}, el("th", { text: `${rowKey || ""} \\ ${colKey || ""}` }), cols.map(c => el("th", { text: c ?? "–" })))),
    el("tbody", {}, rows.map(r => el("tr", {}, el("th", { text: r ?? "–" }), cols.map(c => {
      const cell = cells.find(x => x.settings[rowKey] === r && x.settings[colKey] === c);
      if (!cell) return el("td", { text: "" });
      const m = cell[measure] || {};
      const v = m.mean;
      const t = v === null || v === undefined ? null : shade(v);
      const ids = runIds(cell);
      const text = (v === null || v === undefined ? "–" : show(v)) + (m.n > 1 ? ` (n=${m.n})` : "");
      const style = t === null ? "" : `background:${colorAt(t)};color:${t > 0.6 ? "#111" : "#fff"}`;
      const href = ids.length === 1 ? `/runs/${encodeURIComponent(ids[0])}` : ids.length > 1 ? "/compare" + query({ ids: ids.join(",") }) : null;
      return el("td", { class: "cell" }, href ? el("a", { href, style, title: `${cell.cell}: ${ids.length} run(s)`, text }) : el("span", { style, text }));
    })))));
}

function runIds(cell) {
  const list = cell.run_ids || cell.runs || cell.ids || [];
  return list.map(x => (typeof x === "string" ? x : x && (x.id || x.run_id))).filter(Boolean);
}
