using System.Globalization;
using Gradscope.Diagnostics;

namespace Gradscope.Lab.Exports.TensorBoard;

/// <summary>
/// The tags a run's event file uses. Layers appear as <c>layer_03_4</c>: the number along the main
/// path, zero-padded to the widest number (at least two digits) so tags sort in layer order, then
/// the module path; statistics of a weight tensor end in <c>.weight</c> (<c>.bias</c> for the bias
/// gradient), as the state dict names the tensor.
/// </summary>
public static class TensorBoardTags
{
    /// <summary>The mean batch loss, per step.</summary>
    public const string Loss = "loss";

    /// <summary>The learning rate, per step.</summary>
    public const string LearningRate = "learning_rate";

    /// <summary><c>layer_03_4</c> for layer 3 (module path <c>4</c>) of <paramref name="layerCount"/>.</summary>
    public static string Layer(int number, string name, int layerCount)
    {
        int width = Math.Max(2, layerCount.ToString(CultureInfo.InvariantCulture).Length);
        return "layer_" + number.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0') + "_" + name;
    }

    /// <summary>The scalar tag of <paramref name="stat"/> for the layer tag <paramref name="layer"/> (<see cref="Layer"/>).</summary>
    public static string Scalar(LayerStat stat, string layer) => stat switch
    {
        LayerStat.GradNorm => $"gradients/norm/{layer}.weight",
        LayerStat.GradRms => $"gradients/rms/{layer}.weight",
        LayerStat.BiasGradNorm => $"gradients/norm/{layer}.bias",
        LayerStat.DeltaRms => $"gradients/delta_rms/{layer}",
        LayerStat.ActMean => $"activations/mean/{layer}",
        LayerStat.ActStd => $"activations/std/{layer}",
        LayerStat.Saturated => $"activations/saturated/{layer}",
        LayerStat.Dead => $"activations/dead/{layer}",
        LayerStat.WeightNorm => $"weights/norm/{layer}.weight",
        LayerStat.UpdateRatio => $"weights/update_ratio/{layer}.weight",
        _ => $"non_finite/{layer}",
    };

    /// <summary>The histogram tag of a layer's gradient (log10 |g|) or activation histogram.</summary>
    public static string Histogram(HistogramKind kind, string layer) =>
        kind == HistogramKind.Gradient ? $"gradients/log10_abs/{layer}.weight" : $"activations/histogram/{layer}";

    /// <summary>An epoch summary's tag: <c>epoch/train_loss</c>, <c>epoch/test_accuracy</c>, ...</summary>
    public static string Epoch(string statistic) => "epoch/" + statistic;
}
