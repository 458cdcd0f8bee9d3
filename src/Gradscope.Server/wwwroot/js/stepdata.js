// A run's recorded steps as the steps API returns them, plus what the live stream appends:
// {steps, layers, stats: {name: [[per layer] per step]}, loss, learning_rate, total_steps, downsampled}.
import { api, query, runPath } from "./api.js";
import { extent, log10 } from "./charts.js";

export const STATS = ["delta_rms", "grad_rms", "saturated", "dead"];

export async function fetchSteps(id, { from, to, maxPoints, stats = STATS, layers } = {}) {
  const data = await api(runPath(id) + "/steps" + query({ from, to, layers, stats: stats.join(","), max_points: maxPoints }));
  data.stats = data.stats || {};
  for (const name of stats) if (!data.stats[name]) data.stats[name] = [];
  data.loss = data.loss || [];
  return data;
}

// Appends one streamed step (the trace's step object); false when it is not newer than the last.
export function appendStep(data, step) {
  const last = data.steps.length ? data.steps[data.steps.length - 1] : -1;
  if (step.step <= last) return false;
  data.steps.push(step.step);
  for (const name of Object.keys(data.stats)) data.stats[name].push(step[name] || []);
  data.loss.push(step.loss ?? null);
  if (data.learning_rate) data.learning_rate.push(step.learning_rate ?? null);
  if (data.total_steps !== undefined && data.total_steps < step.step + 1) data.total_steps = step.step + 1;
  return true;
}

// [min, max] of log10 of a statistic over the given data (positive finite values only).
export const logExtent = (data, name) => extent(data.stats[name] || [], v => { const l = log10(v); return l === -Infinity ? NaN : l; }) || [-8, 0];

// One layer's series of a statistic.
export const layerSeries = (data, name, index) => (data.stats[name] || []).map(row => (row ? row[index] : null));

// The index of the recorded step nearest to s.
export function nearestColumn(steps, s) {
  if (s === null || s === undefined || !Number.isFinite(s)) return steps.length - 1;
  let best = -1, gap = Infinity;
  for (let i = 0; i < steps.length; i++) { const d = Math.abs(steps[i] - s); if (d < gap) { gap = d; best = i; } }
  return best;
}

// The step axis domain: the zoomed range, else every recorded step (at least to total_steps while running).
export function stepDomain(data, zoom) {
  if (zoom) return [zoom[0], zoom[1] + 1];
  const last = data.steps.length ? data.steps[data.steps.length - 1] : 0;
  return [data.steps.length ? data.steps[0] : 0, Math.max(last + 1, 1)];
}
