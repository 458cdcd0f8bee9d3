// The compare page's overlaid histograms: each run's weight-gradient histogram of the chosen layer
// at its last recorded histogram step, as the share of values per decade.
import { api, runPath } from "./api.js";
import { runColor } from "./charts.js";
import { drawLines } from "./lines.js";

export function histogramOverlay(canvas, runs) {
  const last = new Map(); // run id -> promise of its last histogram snapshot (or null)
  const snapshot = id => {
    if (!last.has(id)) {
      last.set(id, api(runPath(id) + "/histograms").then(list => {
        const steps = list.steps || [];
        return steps.length ? api(runPath(id) + `/histograms?step=${steps[steps.length - 1]}`) : null;
      }).catch(() => null));
    }
    return last.get(id);
  };
  return async layerNumber => {
    const snaps = await Promise.all(runs.map(r => snapshot(r.detail.run.id)));
    const series = [];
    snaps.forEach((snap, i) => {
      const layer = snap && (snap.layers || []).find(l => l.layer === layerNumber);
      const h = layer && layer.gradient;
      if (!h || !h.counts) return;
      const decades = h.counts.length - 2; // then exact zeros, then non-finite
      const total = h.counts.reduce((a, b) => a + b, 0) || 1;
      let lo = 0, hi = decades - 1;
      while (lo < hi && !h.counts[lo]) lo++;
      while (hi > lo && !h.counts[hi]) hi--;
      const xs = [], ys = [];
      for (let k = Math.max(0, lo - 1); k <= Math.min(decades - 1, hi + 1); k++) { xs.push(h.min_decade + k + 0.5); ys.push(h.counts[k] / total); }
      const run = runs[i].detail.run;
      series.push({ label: `${run.name || run.id} (step ${snap.step})`, color: runColor(i), width: 2, xs, ys });
    });
    drawLines(canvas, series, { xTitle: "log10 |weight gradient| (decade)", yTitle: "share of values", height: 240,
      empty: `No gradient histograms for layer ${layerNumber} (train with --monitor standard or full).` });
  };
}
