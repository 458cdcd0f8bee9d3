
namespace Gradscope.Training;

/// <summary>
/// Walks a layer list and counts, in values, what each layer allocates (see the layer classes:
/// <c>Dense</c>, <c>ActivationLayer</c>, <c>BatchNorm</c>, <c>LayerNorm</c>, <c>Dropout</c>,
/// <c>Residual</c>), for <see cref="MemoryEstimate"/>.
/// </summary>
internal sealed class MemoryTally
{
    private readonly List<(int In, int Out)> _denseShapes = [];
    private readonly long _batch;

    public MemoryTally(long batch)
    {
        _batch = batch;
        MaxDepth = batch;
    }

    public long ParameterValues { get; private set; }

    public long Trainable { get; private set; }

    public long DenseParameters { get; private set; }

    public long DenseWeights { get; private set; }

    public long BatchValues { get; private set; }

    public long MaxDepth { get; private set; }

    public long MaxColumns { get; private set; }

    public long Largest { get; private set; }

    public string LargestName { get; private set; } = "nothing";

    public int LayerCount { get; private set; }

    public bool OnlyDenseAndActivation { get; private set; } = true;

    public IReadOnlyList<(int In, int Out)> DenseShapes => _denseShapes;

    /// <summary>Counts <paramref name="layers"/> fed <paramref name="width"/> features; returns the width out.</summary>
    public int Layers(IReadOnlyList<LayerSpec> layers, int width, bool firstComputesInputGradient = true)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            bool inputGradient = i > 0 || firstComputesInputGradient;
            width = layers[i] switch
            {
                DenseSpec d => Dense(width, d.Units, inputGradient, $"dense layer {_denseShapes.Count + 1}"),
                ActivationSpec => Elementwise(width, buffers: 2, extra: width),
                NormSpec n => Norm(width, n.Kind),
                DropoutSpec => Elementwise(width, buffers: 3, extra: 0),
                ResidualSpec r => Residual(r, width),
                RecurrentSpec r => Recurrent(r, width),
                _ => throw new ArgumentOutOfRangeException(nameof(layers), layers[i], "A layer the memory estimate does not know."),
            };
            if (layers[i] is not (DenseSpec or ActivationSpec))
                OnlyDenseAndActivation = false;
        }

        return width;
    }

    /// <summary>A dense layer: weights, bias, output and (unless it is the first) input gradient.</summary>
    public int Dense(int input, int output, bool computesInputGradient, string name)
    {
        LayerCount++;
        long weights = (long)input * output;
        Array(weights, $"the weights of {name} ({input}x{output})");
        Parameters(weights + output, trainable: true);
        DenseParameters += weights + output;
        DenseWeights += weights;
        _denseShapes.Add((input, output));
        Batch(_batch * output, $"the outputs of {name} for a batch of {_batch}");
        if (computesInputGradient)
            Batch(_batch * input, $"the input gradient of {name} for a batch of {_batch}");
        MaxDepth = Math.Max(MaxDepth, Math.Max(input, output));
        MaxColumns = Math.Max(MaxColumns, Math.Max(input, output));
        return output;
    }

    /// <summary>Values that scale with the batch, with a check of the single array's size.</summary>
    public void Batch(long values, string name)
    {
        Array(values, name);
        BatchValues += values;
    }

    private int Elementwise(int width, int buffers, long extra)
    {
        LayerCount++;
        for (int i = 0; i < buffers; i++)
            Batch(_batch * width, $"the outputs of a {width}-wide layer for a batch of {_batch}");
        BatchValues += extra;
        return width;
    }

    // Batch norm: gain, shift, running mean and variance, six per-feature vectors, x-hat, output
    // and input gradient; layer norm: gain, shift, x-hat, output, input gradient and 1/std per row.
    private int Norm(int width, NormKind kind)
    {
        LayerCount++;
        Parameters(2L * width, trainable: true);
        if (kind == NormKind.Batch)
            Parameters((2L + 6) * width, trainable: false);
        for (int i = 0; i < 3; i++)
            Batch(_batch * width, $"the outputs of a {width}-wide norm layer for a batch of {_batch}");
        BatchValues += kind == NormKind.Layer ? _batch : 0;
        return width;
    }

    /// <summary>Time steps of the sequences a recurrent first layer reads (1 for a feed-forward network).</summary>
    public int Steps { get; init; } = 1;

    // A recurrent layer: G gate blocks of [H, in + H] weights and two biases; per step, the gates,
    // the hidden state and (LSTM) the cell, cached for backpropagation through time.
    private int Recurrent(RecurrentSpec recurrent, int features)
    {
        LayerCount++;
        long gates = recurrent.Cell switch { "lstm" => 4, "gru" => 3, _ => 1 };
        long hidden = recurrent.Hidden;
        long weights = gates * hidden * (features + hidden);
        Array(weights, $"the weights of the {recurrent.Cell} layer");
        Parameters(weights + (2 * gates * hidden), trainable: true);
        Batch(_batch * Steps * ((gates + 3) * hidden + features), $"the {Steps} steps of the {recurrent.Cell} layer for a batch of {_batch}");
        MaxColumns = Math.Max(MaxColumns, Math.Max(features * (long)Steps, gates * hidden));
        return recurrent.Hidden;
    }

    private int Residual(ResidualSpec residual, int width)
    {
        LayerCount++;
        int output = Layers(residual.Layers, width);
        if (output != width)
            Dense(width, output, computesInputGradient: true, "a residual projection");
        Batch(_batch * output, $"the outputs of a residual block for a batch of {_batch}");
        Batch(_batch * width, $"the input gradient of a residual block for a batch of {_batch}");
        return output;
    }

    private void Parameters(long values, bool trainable)
    {
        ParameterValues += values;
        if (trainable)
            Trainable += values;
    }

    private void Array(long values, string name)
    {
        if (values > Largest)
            (Largest, LargestName) = (values, name);
    }
}
