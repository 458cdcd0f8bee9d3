using System.Globalization;

namespace Gradscope.Lab.Experiments;

/// <summary>The squashing experiment's notes: what each column means and how the set-up differs from the claim's.</summary>
internal static class SquashingNotes
{
    public static IReadOnlyList<string> Lines(SquashingSizes sizes) =>
    [
        "Networks are untrained (at initialization): the claim is about the mapping a deep squashing network computes, not about training. No runs are recorded.",
        "Layers: 1..L are the hidden Dense + activation blocks, 'logits' the last Dense layer (no activation). Biases are 0 (both inits leave them so).",
        string.Create(CultureInfo.InvariantCulture, $"move X%: W_l is replaced by W_l + D, D i.i.d. Gaussian rescaled to ||D||_F = X% of ||W_l||_F; the RMS over a fixed batch of {sizes.BatchSize} points uniform on [-2, 2]^2 and over the 3 logits of f_perturbed(x) - f(x), averaged over {sizes.Draws} draws of D."),
        "first/last: the first hidden layer's value over the last hidden layer's (L). Across seeds, ratios are combined by their geometric mean; correlations by their mean.",
        "grad rms: the RMS of dLoss/dW_l for the mean softmax cross-entropy of the same batch with random labels, one backward pass (the gradient training sees). per-example grad: the RMS over the batch of each example's own gradient RMS |delta_i| |x_i| / sqrt(out in); the batch gradient is smaller where examples' gradients cancel (the first layer's zero-mean 2-D inputs against the later layers' positive ones), the per-example one is not.",
        "Why they should track: D of i.i.d. entries moves an example's output by about ||D||_F x (its gradient's RMS) to first order, and both inits give every hidden layer the same ||W_l||_F (sqrt(width/3) for standard, sqrt(2 width) for He), so first/last movement ~ first/last per-example gradient; the expectation checks they agree within 10x.",
        "spread: sqrt(mean over grid points of ||y_p - mean_p y_p||^2) of a layer's output y (post-activation); 'spread / input's' divides by the same for the layer's input, 'spread / grid's' by the input grid's. Layer 1 maps the plane (2 numbers) to 64 units, so its ratio compares different spaces; the shrinking claim is checked from layer 2 on.",
        "c: the uncentred correlation (cosine) h_a . h_b / (|h_a| |h_b|) of two grid points' pre-activations h = W x + b, averaged over random pairs of grid points. Mean-field c: the same pairs' prediction by the un-centred two-input map (q_aa, q_bb, q_ab) -> sigma_w^2 E[phi(u_a) phi(u_b)] + sigma_b^2, started from the exact layer-1 covariances (sigma_w^2 = 1/3 for standard, 2 for He; sigma_b^2 = 0); sigmoid is not odd, so its mean (~0.5) makes pre-activations alike from layer 2 on. 'layers to c>0.99': the first layer whose mean c reaches 0.99 ('-': none within the depth).",
        "float64 runs out at depth 20 for sigmoid: perturbing its first layers moves the logits by ~5e-17, under one rounding step of logits of size ~0.3, so the first/last movement ratio (~1e-15) is a floor set by rounding (the gradient, a product with nothing cancelling, keeps falling to ~1e-16); and from layer ~16 on the grid's image is a single point up to rounding (spread ~5e-14 of its size), where spread ratios near 1 measure rounding. The shrinking expectation leaves out layers whose input's spread is under 1e-12 of its size.",
    ];
}
