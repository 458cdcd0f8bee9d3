using System.Numerics;
using Gradscope.Data.Sequences;
using Gradscope.Tensors;

namespace Gradscope.Recurrent;

/// <summary>
/// Long short-term memory (Hochreiter and Schmidhuber 1997, with the forget gate of Gers et al.
/// 2000) exactly as PyTorch's <c>nn.LSTM</c>, gates stacked i, f, g, o:
/// <code>
/// [a_i a_f a_g a_o] = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh      [batch, 4H]
/// i = sigmoid(a_i)  f = sigmoid(a_f)  g = tanh(a_g)  o = sigmoid(a_o)
/// c_t = f * c_{t-1} + i * g
/// h_t = o * tanh(c_t)
/// </code>
/// The cell state's path back in time multiplies by f alone (the constant error carousel), so the
/// gradient need not vanish. The forward pass is in <c>Lstm.Forward.cs</c>, its derivative in
/// <c>Lstm.Backward.cs</c>.
/// </summary>
public sealed partial class Lstm<T> : RecurrentLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Sequence<T> _gates;      // activated gates i, f, g, o per step, [batch, 4H]
    private readonly Sequence<T> _cell;       // c_t per step, [batch, H]
    private readonly Sequence<T> _tanhCell;   // tanh(c_t) per step, [batch, H]
    private readonly Matrix<T> _zeroCell;     // c_{-1} = 0
    private readonly Matrix<T> _gradGates;    // dL/d[a_i a_f a_g a_o], reused every step
    private readonly Matrix<T> _gradCell;     // dL/dc carried from step t+1 to step t

    /// <summary>Creates a zero-weight LSTM; call <see cref="Initialize"/> to fill it.</summary>
    /// <param name="inputSize">Features per step.</param>
    /// <param name="hiddenSize">Hidden (and cell) units H.</param>
    /// <param name="forgetGateBias">
    /// When true, <see cref="Initialize"/> sets the forget gate's total bias to 1 (<c>bias_ih_l0</c>'s
    /// f block to 1, <c>bias_hh_l0</c>'s to 0), so the cell starts out remembering (Gers et al. 2000;
    /// Jozefowicz et al. 2015).
    /// </param>
    public Lstm(int inputSize, int hiddenSize, bool forgetGateBias = false)
        : base(inputSize, hiddenSize, gates: 4)
    {
        ForgetGateBias = forgetGateBias;
        _gates = new Sequence<T>(4 * hiddenSize);
        _cell = new Sequence<T>(hiddenSize);
        _tanhCell = new Sequence<T>(hiddenSize);
        _zeroCell = new Matrix<T>(0, hiddenSize);
        _gradGates = new Matrix<T>(0, 4 * hiddenSize);
        _gradCell = new Matrix<T>(0, hiddenSize);
    }

    /// <inheritdoc/>
    public override string Kind => "lstm";

    /// <summary>tanh on the candidate and on the cell output: 1.</summary>
    public override double MaxRecurrentDerivative => 1.0;

    /// <summary>Whether <see cref="Initialize"/> sets the forget-gate bias to 1.</summary>
    public bool ForgetGateBias { get; }

    /// <summary>Cell states c_1..c_L of the last forward pass, each <c>[batch, H]</c>.</summary>
    public Sequence<T> Cell => _cell;

    /// <inheritdoc/>
    public override void Initialize(SeededRandom rng, bool orthogonalRecurrent = false)
    {
        base.Initialize(rng, orthogonalRecurrent);
        if (!ForgetGateBias)
            return;
        int h = HiddenSize;
        BiasIh.Value.Span.Slice(h, h).Fill(T.One);
        BiasHh.Value.Span.Slice(h, h).Clear();
    }

    private protected override void PrepareCaches(int batch, int length)
    {
        _gates.Resize(batch, length);
        _cell.Resize(batch, length);
        _tanhCell.Resize(batch, length);
        _zeroCell.Resize(batch);
        _zeroCell.Clear();
        _gradGates.Resize(batch);
        _gradCell.Resize(batch);
    }

    private protected override void BeginBackward(int batch) => _gradCell.Clear();

    private protected override double CarriedStateSquares() => Reductions.SumOfSquares<T>(_gradCell.Span);
}
