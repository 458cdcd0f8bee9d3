using System.Numerics;
using Gradscope.Data.Sequences;
using Gradscope.Tensors;

namespace Gradscope.Recurrent;

/// <summary>
/// Gated recurrent unit (Cho et al. 2014) exactly as PyTorch's <c>nn.GRU</c>, gates stacked r, z, n:
/// <code>
/// r = sigmoid(x W_ir^T + b_ir + h_{t-1} W_hr^T + b_hr)
/// z = sigmoid(x W_iz^T + b_iz + h_{t-1} W_hz^T + b_hz)
/// n = tanh(x W_in^T + b_in + r * (h_{t-1} W_hn^T + b_hn))
/// h_t = (1 - z) * n + z * h_{t-1}
/// </code>
/// The path <c>h_t = z * h_{t-1}</c> passes the gradient back multiplied by z alone, which is how
/// the GRU keeps long-range gradients alive. Forward in <c>Gru.Forward.cs</c>, its derivative in
/// <c>Gru.Backward.cs</c>.
/// </summary>
public sealed partial class Gru<T> : RecurrentLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Sequence<T> _gates;        // activated r, z, n per step, [batch, 3H]
    private readonly Sequence<T> _hiddenCandidate; // h_{t-1} W_hn^T + b_hn per step, [batch, H]
    private readonly Matrix<T> _inputGates;     // x W_ih^T + b_ih, reused, [batch, 3H]
    private readonly Matrix<T> _hiddenGates;    // h W_hh^T + b_hh, reused, [batch, 3H]
    private readonly Matrix<T> _gradInputGates;  // dL/d(x W_ih^T + b_ih), [batch, 3H]
    private readonly Matrix<T> _gradHiddenGates; // dL/d(h W_hh^T + b_hh), [batch, 3H]

    /// <summary>Creates a zero-weight GRU; call <see cref="RecurrentLayer{T}.Initialize"/> to fill it.</summary>
    public Gru(int inputSize, int hiddenSize)
        : base(inputSize, hiddenSize, gates: 3)
    {
        _gates = new Sequence<T>(3 * hiddenSize);
        _hiddenCandidate = new Sequence<T>(hiddenSize);
        _inputGates = new Matrix<T>(0, 3 * hiddenSize);
        _hiddenGates = new Matrix<T>(0, 3 * hiddenSize);
        _gradInputGates = new Matrix<T>(0, 3 * hiddenSize);
        _gradHiddenGates = new Matrix<T>(0, 3 * hiddenSize);
    }

    /// <inheritdoc/>
    public override string Kind => "gru";

    /// <summary>tanh on the candidate: 1.</summary>
    public override double MaxRecurrentDerivative => 1.0;

    private protected override void PrepareCaches(int batch, int length)
    {
        _gates.Resize(batch, length);
        _hiddenCandidate.Resize(batch, length);
        _inputGates.Resize(batch);
        _hiddenGates.Resize(batch);
        _gradInputGates.Resize(batch);
        _gradHiddenGates.Resize(batch);
    }
}
