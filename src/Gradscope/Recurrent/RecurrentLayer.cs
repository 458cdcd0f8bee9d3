using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Data.Sequences;
using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Recurrent;

/// <summary>
/// A single-layer recurrent network over a <see cref="Sequence{T}"/>, with PyTorch's tensor names
/// (<c>weight_ih_l0</c> <c>[G*H, in]</c>, <c>weight_hh_l0</c> <c>[G*H, H]</c>, <c>bias_ih_l0</c>,
/// <c>bias_hh_l0</c> <c>[1, G*H]</c>, G gates stacked in PyTorch's order). The initial state is zero.
/// This base owns the loop through time; a cell supplies one step forward and the matching step
/// backward. Backward is full backpropagation through time: the gradient reaching
/// <c>h_t</c> is the outside gradient at t plus what step t+1 sends back through <c>W_hh</c>.
/// </summary>
public abstract class RecurrentLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly Matrix<T> _zeroState;
    private readonly Matrix<T> _gradHidden;
    private readonly Matrix<T> _gradHiddenPrevious;
    private double[] _hiddenGradNorms = [];
    private Sequence<T>? _input;

    private protected RecurrentLayer(int inputSize, int hiddenSize, int gates)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Gates = gates;
        WeightIh = new Parameter<T>("weight_ih_l0", gates * hiddenSize, inputSize);
        WeightHh = new Parameter<T>("weight_hh_l0", gates * hiddenSize, hiddenSize);
        BiasIh = new Parameter<T>("bias_ih_l0", 1, gates * hiddenSize);
        BiasHh = new Parameter<T>("bias_hh_l0", 1, gates * hiddenSize);
        _parameters = [WeightIh, WeightHh, BiasIh, BiasHh];
        Hidden = new Sequence<T>(hiddenSize);
        GradInput = new Sequence<T>(inputSize);
        _zeroState = new Matrix<T>(0, hiddenSize);
        _gradHidden = new Matrix<T>(0, hiddenSize);
        _gradHiddenPrevious = new Matrix<T>(0, hiddenSize);
    }

    /// <summary>The cell kind as shown to users (<c>rnn-tanh</c>, <c>lstm</c>, <c>gru</c>).</summary>
    public abstract string Kind { get; }

    /// <summary>The largest |phi'| of the nonlinearity on the recurrent path: gamma in Pascanu et al. (2013).</summary>
    public abstract double MaxRecurrentDerivative { get; }

    /// <summary>Features per input step.</summary>
    public int InputSize { get; }

    /// <summary>Hidden units H.</summary>
    public int HiddenSize { get; }

    /// <summary>Gate blocks stacked in the weights: 1 (simple RNN), 4 (LSTM), 3 (GRU).</summary>
    public int Gates { get; }

    /// <summary><c>weight_ih_l0</c>, <c>[Gates * H, in]</c>.</summary>
    public Parameter<T> WeightIh { get; }

    /// <summary><c>weight_hh_l0</c>, <c>[Gates * H, H]</c>: the recurrent weight.</summary>
    public Parameter<T> WeightHh { get; }

    /// <summary><c>bias_ih_l0</c>, <c>[1, Gates * H]</c>.</summary>
    public Parameter<T> BiasIh { get; }

    /// <summary><c>bias_hh_l0</c>, <c>[1, Gates * H]</c>.</summary>
    public Parameter<T> BiasHh { get; }

    /// <summary>The four tensors, in PyTorch's state-dict order.</summary>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>When false, <see cref="Backward"/> skips dLoss/dInput (data needs none) and leaves <see cref="GradInput"/> empty.</summary>
    public bool ComputesInputGradient { get; set; } = true;

    /// <summary>Hidden states h_1..h_L of the last forward pass, each <c>[batch, H]</c>.</summary>
    public Sequence<T> Hidden { get; }

    /// <summary>dLoss/dx_t of the last backward pass, each <c>[batch, in]</c>.</summary>
    public Sequence<T> GradInput { get; }

    /// <summary>
    /// Tap: the norm of the gradient reaching the state at step t (Frobenius over the batch, in
    /// double) for every step t of the last backward pass: ||dL/dh_t||, the total from the output and
    /// from the future; for an LSTM, whose state is (h_t, c_t), with the cell's carried dL/dc_t in the
    /// same norm, since the cell is the path its memory takes.
    /// </summary>
    public ReadOnlySpan<double> HiddenGradNorms => _hiddenGradNorms.AsSpan(0, Hidden.Length);

    /// <summary>Runs the sequence through the cell from a zero state and returns the hidden states.</summary>
    /// <exception cref="GradscopeException">The input has the wrong number of features.</exception>
    public Sequence<T> Forward(Sequence<T> input)
    {
        if (input.Features != InputSize)
            throw new GradscopeException($"{Kind} layer expects sequences with {InputSize} features per step but got {input.Features}.");
        _input = input;
        int batch = input.Batch, length = input.Length;
        Hidden.Resize(batch, length);
        _zeroState.Resize(batch);
        _zeroState.Clear();
        PrepareCaches(batch, length);
        for (int t = 0; t < length; t++)
            StepForward(t, input[t], t == 0 ? _zeroState : Hidden[t - 1], Hidden[t]);
        return Hidden;
    }

    /// <summary>
    /// Backpropagation through time from dLoss/dh_t for every step (zero where the loss does not
    /// read h_t); adds parameter gradients into their <c>Grad</c> and returns dLoss/dx_t.
    /// </summary>
    /// <exception cref="GradscopeException">The gradient's shape differs from the last forward pass's hidden states.</exception>
    public Sequence<T> Backward(Sequence<T> gradHidden)
    {
        var input = _input ?? throw new InvalidOperationException("Backward called before Forward.");
        if (gradHidden.Length != Hidden.Length || gradHidden.Batch != Hidden.Batch || gradHidden.Features != HiddenSize)
        {
            throw new GradscopeException(
                $"{Kind} layer expects gradHidden of [batch {Hidden.Batch}, time {Hidden.Length}, {HiddenSize}] " +
                $"but got [batch {gradHidden.Batch}, time {gradHidden.Length}, {gradHidden.Features}].");
        }

        int batch = Hidden.Batch, length = Hidden.Length;
        GradInput.Resize(ComputesInputGradient ? batch : 0, ComputesInputGradient ? length : 0);
        if (_hiddenGradNorms.Length < length)
            _hiddenGradNorms = new double[length];
        _gradHidden.Resize(batch);
        _gradHiddenPrevious.Resize(batch);
        _gradHiddenPrevious.Clear();
        BeginBackward(batch);
        for (int t = length - 1; t >= 0; t--)
        {
            // dL/dh_t = (from the loss at t) + (from step t+1, through W_hh), carried in _gradHiddenPrevious.
            TensorPrimitives.Add(gradHidden[t].Span, _gradHiddenPrevious.Span, _gradHidden.Span);
            _hiddenGradNorms[t] = Math.Sqrt(Reductions.SumOfSquares<T>(_gradHidden.Span) + CarriedStateSquares());
            var gradInput = ComputesInputGradient ? GradInput[t] : null;
            StepBackward(t, input[t], t == 0 ? _zeroState : Hidden[t - 1], _gradHidden, gradInput, _gradHiddenPrevious);
        }

        return GradInput;
    }

    /// <summary>
    /// PyTorch's default initialization, every tensor U(-1/sqrt(H), 1/sqrt(H)); with
    /// <paramref name="orthogonalRecurrent"/> each gate's <c>[H, H]</c> block of <c>weight_hh_l0</c>
    /// is orthogonal instead (Saxe et al. 2014; singular values 1, the edge of Pascanu et al.'s bound).
    /// </summary>
    public virtual void Initialize(SeededRandom rng, bool orthogonalRecurrent = false) =>
        RecurrentInit.Apply(this, rng, orthogonalRecurrent);

    /// <summary>Sizes the per-step caches for a forward pass of <paramref name="length"/> steps.</summary>
    private protected abstract void PrepareCaches(int batch, int length);

    /// <summary>One step: <c>h_t = cell(x_t, h_{t-1})</c>, caching what <see cref="StepBackward"/> needs at t.</summary>
    private protected abstract void StepForward(int t, Matrix<T> x, Matrix<T> hPrevious, Matrix<T> h);

    /// <summary>
    /// Sum of squares of the gradient a cell carries back in a state other than h (the LSTM's
    /// dL/dc_t from step t+1), read before step t's backward pass; 0 for a cell whose state is h alone.
    /// </summary>
    private protected virtual double CarriedStateSquares() => 0;

    /// <summary>Resets carries other than dL/dh (the LSTM's dL/dc) before a backward pass.</summary>
    private protected virtual void BeginBackward(int batch)
    {
    }

    /// <summary>
    /// One step back: from dL/dh_t (total) accumulates parameter gradients, writes dL/dx_t (when
    /// <paramref name="gradInput"/> is not null) and overwrites <paramref name="gradHiddenPrevious"/>
    /// with what step t sends to h_{t-1}.
    /// </summary>
    private protected abstract void StepBackward(int t, Matrix<T> x, Matrix<T> hPrevious, Matrix<T> gradHidden, Matrix<T>? gradInput, Matrix<T> gradHiddenPrevious);

    /// <summary>Adds the column sums of <paramref name="grad"/> (<c>[batch, n]</c>) into a bias gradient <c>[1, n]</c>.</summary>
    private protected static void AddColumnSums(Matrix<T> grad, Matrix<T> biasGrad)
    {
        Span<T> sums = biasGrad.Span;
        for (int r = 0; r < grad.Rows; r++)
            TensorPrimitives.Add(sums, grad.Row(r), sums);
    }

    /// <summary>The parameter gradients every cell shares: dW_ih += dA^T x, dW_hh += dA_h^T h_{t-1}, biases += column sums.</summary>
    private protected void AccumulateWeightGradients(Matrix<T> gradInputGates, Matrix<T> gradHiddenGates, Matrix<T> x, Matrix<T> hPrevious)
    {
        Gemm.MultiplyTransposeA(gradInputGates, x, WeightIh.Grad, accumulate: true);
        Gemm.MultiplyTransposeA(gradHiddenGates, hPrevious, WeightHh.Grad, accumulate: true);
        AddColumnSums(gradInputGates, BiasIh.Grad);
        AddColumnSums(gradHiddenGates, BiasHh.Grad);
    }
}
