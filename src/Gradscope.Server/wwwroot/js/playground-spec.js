// The playground's settings <-> URL <-> run description (run-spec v1, as
// 'gradscope train --print-spec' writes it). No DOM here, so it runs under node too.
export const DEFAULTS = { data: "spiral", depth: 20, width: 8, activation: "tanh", init: "auto", norm: "none", residual: "false", optimizer: "sgd", lr: 0.1, batch: 32, epochs: 20, seed: 1 };
export const ACTIVATIONS = ["tanh", "sigmoid", "relu", "leaky-relu", "elu", "selu", "gelu", "silu", "softplus", "softsign", "hard-tanh", "identity"];
export const INITS = ["auto", "glorot-uniform", "glorot-normal", "he-normal", "he-uniform", "lecun-normal", "lecun-uniform", "orthogonal", "standard", "normal:0.01", "normal:1"];
export const NORMS = ["none", "batch", "layer"];
export const OPTIMIZERS = ["sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw"];
export const LIMITS = { depth: [1, 100], width: [1, 256], batch: [1, 4096], epochs: [1, 500] };

// Settings from URL parameters, every value checked and clamped (a shared link cannot break the page).
export function fromParams(params) {
  const s = { ...DEFAULTS };
  const get = k => (params.get(k) === null || params.get(k) === "" ? undefined : params.get(k));
  for (const key of ["data", "activation", "init", "norm", "optimizer"]) if (get(key) !== undefined) s[key] = get(key);
  if (!ACTIVATIONS.includes(s.activation)) s.activation = DEFAULTS.activation;
  if (!NORMS.includes(s.norm)) s.norm = "none";
  if (!OPTIMIZERS.includes(s.optimizer)) s.optimizer = DEFAULTS.optimizer;
  s.residual = get("residual") === "true" || get("residual") === "1" ? "true" : "false";
  for (const [key, [lo, hi]] of Object.entries(LIMITS)) {
    const v = Math.round(Number(get(key)));
    if (Number.isFinite(v) && get(key) !== undefined) s[key] = Math.min(hi, Math.max(lo, v));
  }
  const lr = Number(get("lr"));
  if (get("lr") !== undefined && lr > 0 && lr < 100) s.lr = lr;
  const seed = Math.round(Number(get("seed")));
  if (get("seed") !== undefined && Number.isFinite(seed)) s.seed = seed;
  return s;
}

export const toQuery = s => new URLSearchParams(Object.entries(s).map(([k, v]) => [k, String(v)])).toString();

// The init the CLI's 'auto' picks: He for the ReLU family, LeCun for SELU, Glorot (uniform) otherwise.
export const resolveInit = (init, activation) =>
  init !== "auto" ? init : activation === "relu" || activation === "leaky-relu" ? "he-normal" : activation === "selu" ? "lecun-normal" : "glorot-uniform";

// The hidden layers as the CLI lays them out: dense [norm] activation per layer; with residual,
// a first dense layer, then pre-activation blocks of two dense layers, then [norm] activation.
export function hiddenLayers(depth, width, activation, norm, residual) {
  const normLayer = norm === "batch" ? { type: "batchnorm" } : norm === "layer" ? { type: "layernorm" } : null;
  const act = () => [...(normLayer ? [{ ...normLayer }] : []), { type: "activation", name: activation }];
  const dense = () => ({ type: "dense", units: width });
  if (!residual) {
    const out = [];
    for (let i = 0; i < depth; i++) out.push(dense(), ...act());
    return out;
  }
  const out = [dense()];
  for (let left = depth - 1; left > 0; left -= 2) {
    const block = [];
    for (let k = 0; k < Math.min(2, left); k++) block.push(...act(), dense());
    out.push({ type: "residual", layers: block });
  }
  out.push(...act());
  return out;
}

export function runSpec(s) {
  return {
    format: "gradscope.run",
    version: 1,
    data: { source: s.data, standardize: true },
    network: { layers: hiddenLayers(s.depth, s.width, s.activation, s.norm, s.residual === "true") },
    init: resolveInit(s.init, s.activation),
    optimizer: { name: s.optimizer, lr: s.lr, ...(s.optimizer === "momentum" || s.optimizer === "nesterov" ? { momentum: 0.9 } : {}) },
    loss: "cross-entropy",
    budget: { epochs: s.epochs, batch_size: s.batch },
    seed: s.seed,
  };
}
