using System.Numerics;
using Gradscope.Data.Sequences;
using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Recurrent;

/// <summary>
/// A recurrent layer as one stage of a <see cref="Sequential{T}"/>. A batch of sequences enters as
/// a matrix <c>[batch, steps * features]</c>: one row per sequence (batch first), time-major inside
/// the row (step t's features at columns <c>t * features ..</c>), which is how a <c>[N, T, F]</c>
/// array lies in memory. Many-to-one (<see cref="SequenceOutput.ManyToOne"/>, <c>"sequence":
/// "last"</c>) outputs the last hidden state, <c>[batch, H]</c>; many-to-many (<c>"all"</c>) outputs
/// every hidden state, <c>[batch * steps, H]</c> with row <c>b * steps + t</c>, so the dense layers
/// after it run per step and the loss sees one row per sequence and step, in the order of a
/// <c>[N, T]</c> label array. A layer that follows a many-to-many one (<see cref="ReadsStepRows"/>)
/// reads that output, <c>[batch * steps, features]</c>, which lies in memory exactly as
/// <c>[batch, steps * features]</c> does, and returns its input gradient in the same layout. The
/// layer copies between these layouts and the cell's time-major <see cref="Sequence{T}"/> in buffers
/// it owns, so a steady-state step allocates nothing.
/// </summary>
public sealed class SequenceLayer<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Sequence<T> _input;
    private readonly Sequence<T> _gradHidden;
    private readonly Matrix<T> _stacked;   // many-to-many output, [batch * steps, H]
    private Matrix<T> _gradInput;          // dLoss/dInput in the input's layout
    private Matrix<T> _output;
    private int _steps;

    /// <summary>
    /// Wraps <paramref name="cell"/> for sequences of <paramref name="steps"/> steps, read as one row per
    /// sequence, or, with <paramref name="readsStepRows"/>, as one row per sequence and step (the output
    /// of a many-to-many layer before it).
    /// </summary>
    public SequenceLayer(RecurrentLayer<T> cell, int steps, SequenceOutput output, bool readsStepRows = false)
    {
        ArgumentNullException.ThrowIfNull(cell);
        Cell = cell;
        ReadsStepRows = readsStepRows;
        Steps = steps;
        Output = output;
        _input = new Sequence<T>(cell.InputSize);
        _gradHidden = new Sequence<T>(cell.HiddenSize);
        _stacked = new Matrix<T>(0, cell.HiddenSize);
        _gradInput = new Matrix<T>(0, 1);
        _output = _stacked;
    }

    /// <summary>The recurrent cell (its kernels, weights and through-time taps).</summary>
    public RecurrentLayer<T> Cell { get; }

    /// <summary>
    /// True when the input is one row per sequence and step, <c>[batch * steps, features]</c> (a
    /// recurrent layer stacked on a many-to-many one); false for one row per sequence.
    /// </summary>
    public bool ReadsStepRows { get; }

    /// <summary>Many-to-one or many-to-many.</summary>
    public SequenceOutput Output { get; }

    /// <summary>Time steps per sequence; the input row holds <c>Steps * FeaturesPerStep</c> values.</summary>
    public int Steps
    {
        get => _steps;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _steps = value;
        }
    }

    /// <summary>Sets <see cref="Steps"/> of every recurrent layer of <paramref name="network"/> (a recurrent network's weights take any length).</summary>
    internal static void SetSteps(Sequential<T> network, int steps)
    {
        foreach (var layer in network.Layers)
        {
            if (layer is SequenceLayer<T> sequence)
                sequence.Steps = steps;
        }
    }

    /// <summary>Features per step.</summary>
    public int FeaturesPerStep => Cell.InputSize;

    /// <summary>The kind as a model spec names it: <c>rnn</c>, <c>lstm</c> or <c>gru</c>.</summary>
    public string Kind => Cell is SimpleRnn<T> ? "rnn" : Cell.Kind;

    /// <inheritdoc/>
    public int InputSize => ReadsStepRows ? Cell.InputSize : Steps * Cell.InputSize;

    /// <inheritdoc/>
    public int OutputSize => Cell.HiddenSize;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => Cell.Parameters;

    /// <summary>When false (the first layer, whose input is data), <see cref="Backward"/> returns an empty matrix.</summary>
    public bool ComputesInputGradient
    {
        get => Cell.ComputesInputGradient;
        set => Cell.ComputesInputGradient = value;
    }

    /// <summary>Tap: what the last <see cref="Forward"/> returned.</summary>
    public Matrix<T> LastOutput => _output;

    /// <summary>Tap: dLoss/dOutput of the last backward pass.</summary>
    public Matrix<T>? GradOutput { get; private set; }

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        LayerChecks.Columns(this, input, InputSize, "input");
        int steps = Steps, features = Cell.InputSize;
        if (ReadsStepRows && input.Rows % steps != 0)
            throw new GradscopeException($"{Kind} layer reads {steps} rows per sequence (one per step) but got {input.Rows} rows.");
        int batch = ReadsStepRows ? input.Rows / steps : input.Rows;

        // Both layouts put sequence b's step t at offset (b * steps + t) * features.
        ReadOnlySpan<T> values = input.Span;
        _input.Resize(batch, steps);
        for (int t = 0; t < steps; t++)
        {
            var step = _input[t];
            for (int b = 0; b < batch; b++)
                values.Slice(((b * steps) + t) * features, features).CopyTo(step.Row(b));
        }

        var hidden = Cell.Forward(_input);
        if (Output == SequenceOutput.ManyToOne)
        {
            _output = hidden[steps - 1];
            return _output;
        }

        _stacked.Resize(batch * steps);
        for (int t = 0; t < steps; t++)
        {
            var h = hidden[t];
            for (int b = 0; b < batch; b++)
                h.Row(b).CopyTo(_stacked.Row((b * steps) + t));
        }

        _output = _stacked;
        return _output;
    }

    /// <inheritdoc/>
    public Matrix<T> Backward(Matrix<T> gradOutput)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        GradOutput = gradOutput;
        int batch = _input.Batch, steps = _input.Length;
        LayerChecks.Columns(this, gradOutput, OutputSize, "gradOutput");
        _gradHidden.Resize(batch, steps);
        if (Output == SequenceOutput.ManyToOne)
        {
            // Only h_T feeds the loss; earlier steps get their gradient through time alone.
            _gradHidden.Clear();
            gradOutput.Span.CopyTo(_gradHidden[steps - 1].Span);
        }
        else
        {
            for (int t = 0; t < steps; t++)
            {
                var g = _gradHidden[t];
                for (int b = 0; b < batch; b++)
                    gradOutput.Row((b * steps) + t).CopyTo(g.Row(b));
            }
        }

        var gradSteps = Cell.Backward(_gradHidden);
        return GatherInputGradient(gradSteps, batch, steps);
    }

    private Matrix<T> GatherInputGradient(Sequence<T> gradSteps, int batch, int steps)
    {
        if (!ComputesInputGradient)
        {
            _gradInput.Resize(0);
            return _gradInput;
        }

        if (_gradInput.Cols != InputSize)
            _gradInput = new Matrix<T>(0, InputSize);
        var result = _gradInput;
        result.Resize(ReadsStepRows ? batch * steps : batch);
        int features = Cell.InputSize;
        Span<T> values = result.Span;
        for (int t = 0; t < steps; t++)
        {
            var g = gradSteps[t];
            for (int b = 0; b < batch; b++)
                g.Row(b).CopyTo(values.Slice(((b * steps) + t) * features, features));
        }

        return result;
    }
}
