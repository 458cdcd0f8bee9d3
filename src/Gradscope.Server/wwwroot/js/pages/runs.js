// The runs page: the store's runs as a table, filtered (status, tag, name; the URL keeps them),
// sorted by any column, several selected to compare.
import { api, query } from "../api.js";
import { el, errorBox, statusBadge } from "../dom.js";
import { fmt, percent } from "../charts.js";
import { navigate } from "../app.js";

const STATUSES = ["", "running", "paused", "completed", "failed", "interrupted", "diverged"];
const COLUMNS = [
  ["name", "Name", r => r.name || ""], ["status", "Status", r => r.status], ["steps", "Steps", r => r.steps, true],
  ["started", "Started", r => r.started || ""], ["loss", "Loss", r => r.loss, true],
  ["train_accuracy", "Train acc.", r => r.train_accuracy, true], ["test_accuracy", "Test acc.", r => r.test_accuracy, true],
  ["data", "Data", r => (r.data && r.data.name) || ""], ["tags", "Tags", r => (r.tags || []).join(", ")],
];

export async function render(main, params) {
  document.title = "Runs · Gradscope";
  const state = { status: params.get("status") || "", tag: params.get("tag") || "", name: params.get("name") || "", sort: params.get("sort") || "started", desc: params.get("order") !== "asc" };
  const selected = new Set();
  let runs = [];
  const body = el("tbody");
  const head = el("tr");
  const info = el("p", { class: "muted", "aria-live": "polite" });
  const compare = el("button", { class: "primary", disabled: true, text: "Compare selected", onclick: () => navigate("/compare" + query({ ids: [...selected].join(",") })) });
  const errors = el("div");

  const sync = () => history.replaceState(null, "", "/" + query({ status: state.status, tag: state.tag, name: state.name, sort: state.sort === "started" ? "" : state.sort, order: state.desc ? "" : "asc" }));
  const load = async () => {
    try {
      runs = await api("/api/runs" + query({ status: state.status, tag: state.tag, name: state.name }));
      errors.replaceChildren();
      draw();
    } catch (error) { errors.replaceChildren(errorBox(error)); }
  };
  const draw = () => {
    const column = COLUMNS.find(c => c[0] === state.sort) || COLUMNS[3];
    const sorted = [...runs].sort((a, b) => compareValues(column[2](a), column[2](b)) * (state.desc ? -1 : 1));
    head.replaceChildren(el("th", {}, el("span", { class: "muted", text: "Select" })),
      ...COLUMNS.map(([key, title, , num]) => el("th", { class: num ? "num" : "", "aria-sort": key === state.sort ? (state.desc ? "descending" : "ascending") : "none" },
        el("button", { text: title + (key === state.sort ? (state.desc ? " ▼" : " ▲") : ""), onclick: () => { state.desc = key === state.sort ? !state.desc : key !== "name"; state.sort = key; sync(); draw(); } }))));
    body.replaceChildren(...sorted.map(run => row(run, selected, () => { compare.disabled = selected.size < 2; })));
    info.textContent = `${runs.length} run${runs.length === 1 ? "" : "s"}` + (selected.size ? `, ${selected.size} selected` : "");
    compare.disabled = selected.size < 2;
  };

  let typing = null;
  const text = (label, key) => el("label", {}, label, el("input", { type: "search", value: state[key], name: key, oninput: e => {
    state[key] = e.target.value.trim();
    clearTimeout(typing);
    typing = setTimeout(() => { sync(); load(); }, 250);
  } }));
  main.append(el("h1", { text: "Runs" }),
    el("section", { class: "panel", "aria-label": "Filters" }, el("div", { class: "row" },
      el("label", {}, "Status", el("select", { name: "status", onchange: e => { state.status = e.target.value; sync(); load(); } },
        STATUSES.map(s => el("option", { value: s, text: s || "any", selected: s === state.status })))),
      text("Tag", "tag"), text("Name", "name"), compare, info)),
    errors,
    el("table", { class: "data", id: "runs-table" }, el("caption", { class: "muted", text: "Click a column title to sort; select two or more runs to compare them." }), el("thead", {}, head), body));
  await load();
  // New runs (a train in a terminal, a playground run) and live step counts appear without a reload.
  const timer = setInterval(() => { if (!document.hidden) load(); }, 3000);
  return () => { clearInterval(timer); clearTimeout(typing); };
}

function row(run, selected, changed) {
  const box = el("input", { type: "checkbox", "aria-label": `Select ${run.name || run.id}`, "data-id": run.id, checked: selected.has(run.id), onchange: e => {
    if (e.target.checked) selected.add(run.id); else selected.delete(run.id);
    tr.classList.toggle("selected", e.target.checked);
    changed();
  } });
  const tr = el("tr", { "data-id": run.id },
    el("td", {}, box),
    el("td", {}, el("a", { href: `/runs/${encodeURIComponent(run.id)}`, text: run.name || run.id.slice(0, 10) }), el("div", { class: "muted", text: run.id.slice(0, 10) })),
    el("td", {}, statusBadge(run.status)),
    el("td", { class: "num", text: String(run.steps ?? "") }),
    el("td", { text: (run.started || "").replace("T", " ").slice(0, 19) }),
    el("td", { class: "num", text: fmt(run.loss) }),
    el("td", { class: "num", text: percent(run.train_accuracy) }),
    el("td", { class: "num", text: percent(run.test_accuracy) }),
    el("td", { text: (run.data && run.data.name) || "" }),
    el("td", { text: (run.tags || []).join(", ") }));
  return tr;
}

function compareValues(a, b) {
  const an = a === null || a === undefined || (typeof a === "number" && !Number.isFinite(a));
  const bn = b === null || b === undefined || (typeof b === "number" && !Number.isFinite(b));
  if (an || bn) return an === bn ? 0 : an ? -1 : 1;
  return typeof a === "number" ? a - b : String(a).localeCompare(String(b));
}
