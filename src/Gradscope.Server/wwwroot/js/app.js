// The single-page app's router: path routes (the URL holds each page's state), links handled in
// place, and each page's cleanup (event streams, timers) run when the reader leaves it.
import { errorBox } from "./dom.js";
import { hideTip } from "./charts.js";

const routes = [
  [/^\/$/, "runs", () => import("./pages/runs.js")],
  [/^\/runs\/([^/]+)$/, "runs", () => import("./pages/run.js")],
  [/^\/compare$/, "runs", () => import("./pages/compare.js")],
  [/^\/sweeps$/, "sweeps", () => import("./pages/sweeps.js")],
  [/^\/sweeps\/([^/]+)$/, "sweeps", () => import("./pages/sweep.js")],
  [/^\/theory$/, "theory", () => import("./pages/theory.js")],
  [/^\/playground$/, "playground", () => import("./pages/playground.js")],
];

let cleanup = null;
let generation = 0;

export function navigate(href, replace = false) {
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  route();
}

async function route() {
  const mine = ++generation;
  if (cleanup) { try { cleanup(); } catch (e) { console.warn(e); } cleanup = null; }
  hideTip();
  const main = document.getElementById("app");
  const path = location.pathname.length > 1 ? location.pathname.replace(/\/+$/, "") : "/";
  const match = routes.find(([pattern]) => pattern.test(path));
  for (const a of document.querySelectorAll("header nav a[data-nav]")) {
    if (match && a.dataset.nav === match[1]) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  document.body.dataset.ready = "false";
  if (!match) {
    main.replaceChildren(Object.assign(document.createElement("h1"), { textContent: "Not found" }), errorBox(`No page at ${path}.`));
    document.body.dataset.ready = "true";
    return;
  }
  const args = match[0].exec(path).slice(1).map(decodeURIComponent);
  try {
    const page = await match[2]();
    if (mine !== generation) return;
    main.replaceChildren();
    const done = await page.render(main, new URLSearchParams(location.search), ...args);
    if (mine !== generation) { if (typeof done === "function") done(); return; }
    cleanup = typeof done === "function" ? done : null;
  } catch (error) {
    if (mine !== generation) return;
    main.replaceChildren(Object.assign(document.createElement("h1"), { textContent: "Something went wrong" }), errorBox(error));
  }
  document.body.dataset.ready = "true";
}

document.addEventListener("click", e => {
  const a = e.target.closest && e.target.closest("a[href]");
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || a.target) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/") || url.pathname.startsWith("/openapi/")) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener("popstate", route);
route();
