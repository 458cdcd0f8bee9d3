using System.Numerics;
using Gradscope.Data;
using Gradscope.Data.Sequences;
using Gradscope.Layers;
using Gradscope.Losses;
using Gradscope.Recurrent;
using Gradscope.Tensors;

namespace Gradscope.Training;

/// <summary>
/// How the <see cref="Trainer{T}"/> reads a data set with a label per step (<see cref="StepLabels"/>):
/// the network must output one row per sequence and step, and accuracy counts the scored steps.
/// </summary>
internal static class StepScoring
{
    /// <summary>
    /// Correct argmax predictions among the scored steps of a batch whose output rows are
    /// <c>b * Steps + t</c> and whose <paramref name="labels"/> lie in the same order.
    /// </summary>
    public static long Correct<T>(Matrix<T> output, ReadOnlySpan<int> labels, StepLabels steps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long correct = 0;
        int sequences = output.Rows / steps.Steps;
        for (int b = 0; b < sequences; b++)
        {
            for (int t = steps.ScoredFrom; t < steps.Steps; t++)
            {
                int row = (b * steps.Steps) + t;
                if (SoftmaxCrossEntropy<T>.ArgMax(output.Row(row)) == labels[row])
                    correct++;
            }
        }

        return correct;
    }

    /// <summary>
    /// The last recurrent layer of <paramref name="model"/>, which decides whether the network
    /// outputs one row per sequence or one per step, and its index in the layer list; null for none.
    /// Recurrent layers come first, so the index plus one is the layer's number in tables and
    /// findings ("layer 1").
    /// </summary>
    public static (SequenceLayer<T> Layer, int Index)? LastRecurrent<T>(Sequential<T> model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = model.Layers.Count - 1; i >= 0; i--)
        {
            if (model.Layers[i] is SequenceLayer<T> layer)
                return (layer, i);
        }

        return null;
    }

    /// <summary>A data set with a label per step needs a network that outputs every step, and one with a label per sequence a network that does not.</summary>
    /// <exception cref="GradscopeException">They do not match; the message names the layer and its <c>"sequence"</c>.</exception>
    public static void CheckOutputs<T>(Sequential<T> model, Dataset data, string role)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var last = LastRecurrent(model);
        bool perStep = last is { Layer.Output: SequenceOutput.ManyToMany };
        if (data.StepLabels is not null && !perStep)
        {
            string network = last is { } l
                ? $"its last recurrent layer (layer {l.Index + 1}, type {l.Layer.Kind}) has \"sequence\": \"last\" and outputs one row per sequence; set \"sequence\": \"all\""
                : "it has no recurrent layer; start it with one with \"sequence\": \"all\"";
            throw new GradscopeException($"The {role} data ({data.Name}) has a label for every step (many-to-many), but the network cannot output them: {network}.");
        }

        if (data.StepLabels is null && perStep)
        {
            var (layer, index) = last!.Value;
            throw new GradscopeException($"The network's last recurrent layer (layer {index + 1}, type {layer.Kind}) has \"sequence\": \"all\" and outputs every step, but the {role} data ({data.Name}) has one {(data.Regression is null ? "label" : "target")} per sequence; set \"sequence\": \"last\".");
        }
    }
}
