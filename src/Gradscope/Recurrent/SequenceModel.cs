using System.Numerics;
using Gradscope.Data.Sequences;
using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Recurrent;

/// <summary>
/// A recurrent layer followed by a dense head: many-to-one (<c>y = h_L W^T + b</c>,
/// <c>[batch, out]</c>) or many-to-many (<c>y_t = h_t W^T + b</c> at every step, stacked
/// time-major as <c>[time * batch, out]</c>, row <c>t * batch + b</c>), so every step goes through
/// the head in one GEMM.
/// </summary>
public sealed class SequenceModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly Matrix<T> _stacked;      // many-to-many: h_1..h_L stacked, [time * batch, H]
    private readonly Sequence<T> _gradHidden; // dL/dh_t the head sends back, per step

    /// <summary>Creates the model; call <see cref="Initialize"/> before training.</summary>
    public SequenceModel(RecurrentLayer<T> recurrent, int outputSize, SequenceOutput output)
    {
        ArgumentNullException.ThrowIfNull(recurrent);
        Recurrent = recurrent;
        Output = output;
        Head = new Dense<T>(recurrent.HiddenSize, outputSize) { ComputesInputGradient = true };
        _parameters = [.. recurrent.Parameters, .. Head.Parameters];
        _stacked = new Matrix<T>(0, recurrent.HiddenSize);
        _gradHidden = new Sequence<T>(recurrent.HiddenSize);
        recurrent.ComputesInputGradient = false;
    }

    /// <summary>The recurrent layer.</summary>
    public RecurrentLayer<T> Recurrent { get; }

    /// <summary>The dense head, <c>[out, H]</c>.</summary>
    public Dense<T> Head { get; }

    /// <summary>Many-to-one or many-to-many.</summary>
    public SequenceOutput Output { get; }

    /// <summary>Recurrent tensors then the head's weight and bias.</summary>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>Whether <see cref="Backward"/> returns dLoss/dx (off by default: the input is data).</summary>
    public bool ComputesInputGradient
    {
        get => Recurrent.ComputesInputGradient;
        set => Recurrent.ComputesInputGradient = value;
    }

    /// <summary>
    /// PyTorch's defaults: the recurrent layer's (see <see cref="RecurrentLayer{T}.Initialize"/>), and
    /// <c>nn.Linear</c>'s U(-1/sqrt(H), 1/sqrt(H)) for the head.
    /// </summary>
    public void Initialize(SeededRandom rng, bool orthogonalRecurrent = false)
    {
        Recurrent.Initialize(rng, orthogonalRecurrent);
        double bound = 1.0 / Math.Sqrt(Recurrent.HiddenSize);
        foreach (var p in Head.Parameters)
        {
            Span<T> values = p.Value.Span;
            for (int i = 0; i < values.Length; i++)
                values[i] = T.CreateTruncating(rng.NextUniform(-bound, bound));
        }
    }

    /// <summary>
    /// <c>[batch, time, in]</c> -> <c>[batch, out]</c> (many-to-one) or <c>[time * batch, out]</c>
    /// (many-to-many). The returned matrix belongs to the head and is valid until the next call.
    /// </summary>
    public Matrix<T> Forward(Sequence<T> input, bool training)
    {
        var hidden = Recurrent.Forward(input);
        if (hidden.Length == 0)
            throw new GradscopeException("A sequence model needs sequences of at least one step; got length 0.");
        if (Output == SequenceOutput.ManyToOne)
            return Head.Forward(hidden[hidden.Length - 1], training);

        int block = hidden.Batch * Recurrent.HiddenSize;
        _stacked.Resize(hidden.Length * hidden.Batch);
        for (int t = 0; t < hidden.Length; t++)
            hidden[t].Span.CopyTo(_stacked.Span.Slice(t * block, block));
        return Head.Forward(_stacked, training);
    }

    /// <summary>
    /// From dLoss/dOutput (the shape <see cref="Forward"/> returned) back through the head and
    /// through time; adds every parameter gradient and returns dLoss/dx when
    /// <see cref="ComputesInputGradient"/> is set (else an empty sequence).
    /// </summary>
    public Sequence<T> Backward(Matrix<T> gradOutput)
    {
        var gradHead = Head.Backward(gradOutput);
        var hidden = Recurrent.Hidden;
        _gradHidden.Resize(hidden.Batch, hidden.Length);
        if (Output == SequenceOutput.ManyToOne)
        {
            // Only h_L feeds the loss; earlier steps get their gradient through time alone.
            _gradHidden.Clear();
            gradHead.Span.CopyTo(_gradHidden[hidden.Length - 1].Span);
        }
        else
        {
            int block = hidden.Batch * Recurrent.HiddenSize;
            for (int t = 0; t < hidden.Length; t++)
                gradHead.Span.Slice(t * block, block).CopyTo(_gradHidden[t].Span);
        }

        return Recurrent.Backward(_gradHidden);
    }

    /// <summary>Sets every parameter gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var p in _parameters)
            p.ZeroGrad();
    }
}
