// The sweeps list: every sweep in the store, with its trial counts.
import { api } from "../api.js";
import { el } from "../dom.js";

export async function render(main) {
  document.title = "Sweeps · Gradscope";
  const answer = await api("/api/sweeps");
  const sweeps = Array.isArray(answer) ? answer : answer.sweeps || [];
  main.append(el("h1", { text: "Sweeps" }),
    sweeps.length ? el("table", { class: "data", id: "sweeps-table" },
      el("thead", {}, el("tr", {}, ["Name", "Created", "Trials", "Done", "Failed", "Queued", "Running"].map(h => el("th", { text: h })))),
      el("tbody", {}, sweeps.map(s => el("tr", {},
        el("td", {}, el("a", { href: `/sweeps/${encodeURIComponent(s.name)}`, text: s.name })),
        el("td", { text: (s.created || "").replace("T", " ").slice(0, 19) }),
        [s.trials, s.done, s.failed, s.queued, s.running].map(v => el("td", { class: "num", text: v === undefined ? "" : String(v) }))))))
      : el("p", { class: "muted", text: "No sweeps in this store yet: 'gradscope sweep run FILE --store PATH' makes one." }));
}
