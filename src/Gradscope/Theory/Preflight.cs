using System.Globalization;
using Gradscope.Activations;
using Gradscope.Initialization;
using Gradscope.Training;

namespace Gradscope.Theory;

/// <summary>
/// The mean-field prediction for a training configuration, before training: sigma_w^2 from the
/// initializer, the phase, chi_1 and the first-to-last gradient ratio at the network's depth.
/// Only for plain dense chains (dense and one activation, alternating, however they were described:
/// no normalization, residual blocks or dropout), where the theory applies as it stands.
/// </summary>
public sealed record Preflight
{
    /// <summary>sigma_w^2 = weight variance x fan_in, derived from the initializer (averaged over the hidden-to-hidden layers when widths differ).</summary>
    public required double WeightVariance { get; init; }

    /// <summary>sigma_b^2: always 0, since initializers set biases to a constant (see <see cref="ConstantBias"/>).</summary>
    public required double BiasVariance { get; init; }

    /// <summary>The constant every bias starts at; a nonzero one is not modelled (treated as sigma_b^2 = 0).</summary>
    public required double ConstantBias { get; init; }

    /// <summary>The initializer's name.</summary>
    public required string Initializer { get; init; }

    /// <summary>
    /// L, the number of dense layers (hidden plus output), so <see cref="PredictedGradientRatio"/>
    /// spans the same layers as a trace's first-to-last ratio: chi_1^((L - 1) / 2).
    /// </summary>
    public required int Depth { get; init; }

    /// <summary>The full mean-field result at <see cref="Depth"/>.</summary>
    public required MeanFieldResult Prediction { get; init; }

    /// <summary>Ordered, critical or chaotic.</summary>
    public SignalPhase Phase => Prediction.Phase;

    /// <summary>chi_1: the predicted per-layer factor of the squared gradient norm.</summary>
    public double Chi1 => Prediction.Chi1;

    /// <summary>Predicted ||gradient at layer 1|| / ||gradient at layer L||.</summary>
    public double PredictedGradientRatio => Prediction.PredictedGradientRatio;

    /// <summary>-log10 of <see cref="PredictedGradientRatio"/>: orders of magnitude lost from the last layer to the first (negative when gained).</summary>
    public double PredictedOrdersLost => -Math.Log10(PredictedGradientRatio);

    /// <summary>One line for people, e.g. <c>theory: chi_1 = 0.021 (ordered): the gradient is predicted to shrink by 1e-17 ...</c>.</summary>
    public required string Text { get; init; }

    /// <summary>
    /// The prediction for the network <paramref name="spec"/> initialized with
    /// <paramref name="initializer"/>, or null when the theory does not apply (see the type's
    /// summary) or sigma_w^2 is 0.
    /// </summary>
    public static Preflight? For(NetworkSpec spec, Initializer initializer)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(initializer);
        if (PlainChain(spec.Layout()) is not { } chain)
            return null;
        var (hidden, activation) = chain;
        double sum = 0;
        int layers = Math.Max(1, hidden.Count - 1);
        for (int i = 0; i < layers; i++)
        {
            int fanIn = hidden[hidden.Count == 1 ? 0 : i], fanOut = hidden[hidden.Count == 1 ? 0 : i + 1];
            if (WeightVarianceOf(initializer, fanIn, fanOut) is not { } v)
                return null;
            sum += v;
        }

        double weightVariance = sum / layers;
        if (!(weightVariance > 0) || !double.IsFinite(weightVariance))
            return null;
        int depth = hidden.Count + 1;
        var prediction = MeanField.Analyze(activation, weightVariance, 0.0, depth);
        return new Preflight
        {
            WeightVariance = weightVariance,
            BiasVariance = 0,
            ConstantBias = initializer.BiasValue,
            Initializer = initializer.Name,
            Depth = depth,
            Prediction = prediction,
            Text = Describe(prediction, initializer, weightVariance),
        };
    }

    /// <summary>
    /// The widths and the activation of a plain chain <c>dense, act, dense, act, ...</c> with one
    /// activation throughout, the networks the theory describes; null for any other layout.
    /// </summary>
    private static (List<int> Widths, Activation Activation)? PlainChain(IReadOnlyList<LayerSpec> layers)
    {
        if (layers.Count == 0 || layers.Count % 2 != 0)
            return null;
        var widths = new List<int>();
        Activation? activation = null;
        for (int i = 0; i < layers.Count; i += 2)
        {
            if (layers[i] is not DenseSpec dense || layers[i + 1] is not ActivationSpec act || (activation is not null && act.Activation.Name != activation.Name))
                return null;
            widths.Add(dense.Units);
            activation = act.Activation;
        }

        return (widths, activation!);
    }

    /// <summary>
    /// sigma_w^2 = Var(W_ij) x fan_in for a <c>[fanOut, fanIn]</c> layer: He gain^2 (2), LeCun gain^2,
    /// Glorot gain^2 x 2 fan_in / (fan_in + fan_out) (1 when square), standard gain^2 / 3, normal and
    /// uniform (gain x STD)^2 x fan_in, orthogonal gain^2 x fan_in / max(fan_in, fan_out); null for an
    /// initializer it does not know.
    /// </summary>
    public static double? WeightVarianceOf(Initializer initializer, int fanIn, int fanOut)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        double g2 = initializer.Gain * initializer.Gain;
        return initializer switch
        {
            HeNormal he => g2 * fanIn / (he.Mode == FanMode.FanIn ? fanIn : fanOut),
            HeUniform he => g2 * fanIn / (he.Mode == FanMode.FanIn ? fanIn : fanOut),
            LeCunNormal or LeCunUniform => g2,
            GlorotNormal or GlorotUniform => g2 * 2.0 * fanIn / (fanIn + fanOut),
            Standard => g2 / 3.0,
            Normal normal => g2 * normal.Std * normal.Std * fanIn,
            Uniform uniform => g2 * uniform.Std * uniform.Std * fanIn,
            Orthogonal => g2 * fanIn / Math.Max(fanIn, fanOut),
            _ => null,
        };
    }

    private static string Describe(MeanFieldResult p, Initializer initializer, double weightVariance)
    {
        string ratio = p.PredictedGradientRatio.ToString("0e+0", CultureInfo.InvariantCulture);
        string what = p.Phase switch
        {
            SignalPhase.Ordered => $"the gradient is predicted to shrink by {ratio} from the last layer to the first",
            SignalPhase.Chaotic => $"the gradient is predicted to grow by {ratio} from the last layer to the first",
            _ => $"the gradient is predicted to keep its size from the last layer to the first (x{p.PredictedGradientRatio.ToString("0.##", CultureInfo.InvariantCulture)})",
        };
        string bias = initializer.BiasValue == 0 ? "sigma_b^2 = 0"
            : $"constant bias {initializer.BiasValue.ToString("G3", CultureInfo.InvariantCulture)} not modelled, sigma_b^2 = 0";
        return $"theory: chi_1 = {p.Chi1.ToString("0.###", CultureInfo.InvariantCulture)} ({p.Phase.ToString().ToLowerInvariant()}): {what} " +
            $"(sigma_w^2 = {weightVariance.ToString("0.###", CultureInfo.InvariantCulture)} from {initializer.Name} init, {bias}, {p.Depth} dense layers)";
    }
}
