using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Activations;
using Gradscope.Tensors;

namespace Gradscope.Layers;

/// <summary>
/// An elementwise activation as its own layer, as in PyTorch's <c>nn.Sequential</c>. Holds its
/// input (the pre-activation) and output for backward and for diagnostic taps.
/// </summary>
public abstract class ActivationLayer<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected ActivationLayer(Activation activation, int size)
    {
        Activation = activation;
        Size = size;
        Output = new Matrix<T>(0, size);
        GradInput = new Matrix<T>(0, size);
    }

    // A slice (see CreateSlice): its buffers are views of some rows of the full layer's.
    private protected ActivationLayer(ActivationLayer<T> full)
    {
        Activation = full.Activation;
        Size = full.Size;
        Output = Matrix<T>.View(Size);
        GradInput = Matrix<T>.View(Size);
    }

    /// <summary>
    /// A layer of the same activation whose output and input gradient are views of some rows of
    /// this one's, for the half of a batch that one core runs (<c>BatchSplit</c>).
    /// </summary>
    internal abstract ActivationLayer<T> CreateSlice();

    /// <summary>
    /// Sets what a backward pass would have left after <paramref name="first"/> and
    /// <paramref name="second"/> ran the two halves of the batch: the input tap, the sums of the
    /// gradient's squares and, when collected, the saturation statistics and live units.
    /// </summary>
    internal void AdoptSlices(Matrix<T> input, ActivationLayer<T> first, ActivationLayer<T> second)
    {
        Input = input;
        GradInputSumOfSquares = first.GradInputSumOfSquares + second.GradInputSumOfSquares;
        if (!CollectsSaturation)
            return;
        var (a, b) = (first.LastSaturation, second.LastSaturation);
        LastSaturation = new SaturationStats(a.Saturated + b.Saturated, a.Sum + b.Sum, a.SumOfSquares + b.SumOfSquares);
        _aliveUnits ??= new T[Size];
        TensorPrimitives.Max(first.AliveUnits, second.AliveUnits, _aliveUnits);
    }

    /// <summary>The function this layer applies.</summary>
    public Activation Activation { get; }

    /// <summary>Features in and out.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    public string Kind => Activation.Name;

    /// <inheritdoc/>
    public int InputSize => Size;

    /// <inheritdoc/>
    public int OutputSize => Size;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary>Tap: the pre-activation of the last forward pass, <c>[batch, Size]</c>.</summary>
    public Matrix<T>? Input { get; private set; }

    /// <summary>Tap: the activation of the last forward pass, <c>[batch, Size]</c>.</summary>
    public Matrix<T> Output { get; }

    /// <summary>Tap: dLoss/d(pre-activation) from the last backward pass.</summary>
    public Matrix<T> GradInput { get; }

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        LayerChecks.Columns(this, input, Size, "input");
        Input = input;
        Output.Resize(input.Rows);
        Apply(input.Span, Output.Span);
        return Output;
    }

    /// <summary>
    /// Readies a forward pass whose values another kernel computes (<see cref="Dense{T}.ForwardActivated"/>):
    /// records <paramref name="input"/>, sizes the output and returns the work that fills each
    /// block of it from the same block of the input.
    /// </summary>
    internal IGemmEpilogue PrepareFusedForward(Matrix<T> input)
    {
        LayerChecks.Columns(this, input, Size, "input");
        Input = input;
        Output.Resize(input.Rows);
        return Epilogue;
    }

    /// <summary>Applies this activation to one block of <see cref="Input"/>, into the same block of <see cref="Output"/>.</summary>
    private protected abstract IGemmEpilogue Epilogue { get; }

    /// <inheritdoc/>
    public Matrix<T> Backward(Matrix<T> gradOutput)
    {
        var input = Input ?? throw new InvalidOperationException("Backward called before Forward.");
        LayerChecks.SameShape(this, gradOutput, Output, "gradOutput");
        GradInput.Resize(gradOutput.Rows);
        if (CollectsSaturation)
        {
            _aliveUnits ??= new T[Size];
            Array.Clear(_aliveUnits);
            GradInputSumOfSquares = BackpropMeasuring(input.Span, Output.Span, gradOutput.Span, GradInput.Span, _aliveUnits, out var stats);
            LastSaturation = stats;
        }
        else
        {
            Backprop(input.Span, Output.Span, gradOutput.Span, GradInput.Span);
            GradInputSumOfSquares = double.NaN;
        }

        return GradInput;
    }

    private T[]? _aliveUnits;

    /// <summary>
    /// When true (a gradient monitor sets it), the backward pass also computes what
    /// <see cref="MeasureSaturation"/> would, in the same pass: <see cref="LastSaturation"/> and
    /// <see cref="AliveUnits"/> then describe the forward pass that backward just differentiated,
    /// and <see cref="GradInputSumOfSquares"/> is measured.
    /// </summary>
    public bool CollectsSaturation { get; set; }

    /// <summary>Saturation statistics of the last backward pass (when <see cref="CollectsSaturation"/>).</summary>
    internal SaturationStats LastSaturation { get; private set; }

    /// <summary>Per unit, one when some sample of the last backward pass was not saturated (when <see cref="CollectsSaturation"/>).</summary>
    public ReadOnlySpan<T> AliveUnits => _aliveUnits;

    /// <summary>
    /// Sum of squares of <see cref="GradInput"/> in double, computed in the backward pass itself
    /// when <see cref="CollectsSaturation"/> (the monitor's delta_rms); NaN when nobody asked.
    /// </summary>
    public double GradInputSumOfSquares { get; private set; }

    /// <summary>Number of (sample, unit) pairs of the last forward pass in the saturated regime.</summary>
    public long CountSaturated()
    {
        Span<T> alive = Size <= 1024 ? stackalloc T[Size] : new T[Size];
        return MeasureSaturation(alive).Saturated;
    }

    /// <summary>
    /// Counts the (sample, unit) pairs of the last forward pass whose derivative is below 1% of its
    /// maximum, and sets <c>aliveUnits[u]</c> to one for every unit with at least one sample above
    /// it (units left at zero are dead for the whole batch); sums the output and its squares in
    /// the same pass. <paramref name="aliveUnits"/> must be zeroed by the caller and hold
    /// <see cref="Size"/> elements.
    /// </summary>
    internal abstract SaturationStats MeasureSaturation(Span<T> aliveUnits);

    private protected abstract void Apply(ReadOnlySpan<T> x, Span<T> y);

    private protected abstract void Backprop(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput);

    private protected abstract double BackpropMeasuring(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput, Span<T> aliveUnits, out SaturationStats stats);
}

/// <summary>The activation layer specialized on one activation struct, so its loops inline.</summary>
internal sealed class ActivationLayer<T, TAct> : ActivationLayer<T>, IGemmEpilogue
    where T : unmanaged, IFloatingPointIeee754<T>
    where TAct : struct, IActivationFunction
{
    public ActivationLayer(Activation activation, int size)
        : base(activation, size)
    {
    }

    private ActivationLayer(ActivationLayer<T, TAct> full)
        : base(full)
    {
    }

    internal override ActivationLayer<T> CreateSlice() => new ActivationLayer<T, TAct>(this);

    private protected override IGemmEpilogue Epilogue => this;

    // Whole rows are one contiguous run: a single call, as fast as the unfused pass on a small
    // layer that the GEMM runs as one block.
    void IGemmEpilogue.Apply(int row0, int rows, int col0, int cols)
    {
        ReadOnlySpan<T> x = Input!.Span;
        Span<T> y = Output.Span;
        if (cols == Size)
        {
            Apply(x.Slice(row0 * Size, rows * Size), y.Slice(row0 * Size, rows * Size));
            return;
        }

        for (int r = row0; r < row0 + rows; r++)
            Apply(x.Slice((r * Size) + col0, cols), y.Slice((r * Size) + col0, cols));
    }

    internal override SaturationStats MeasureSaturation(Span<T> aliveUnits)
    {
        if (Input is null)
            return default;
        T threshold = T.CreateTruncating(Activation.SaturationFraction * TAct.MaxDerivative);
        return Reductions.CountBelow<T, TAct>(Input.Span, Output.Span, Size, threshold, aliveUnits);
    }

    private protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TAct.Forward(x, y);

    private protected override void Backprop(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput) =>
        Elementwise.Backprop<T, TAct>(x, y, gradOutput, gradInput);

    private protected override double BackpropMeasuring(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput, Span<T> aliveUnits, out SaturationStats stats)
    {
        T threshold = T.CreateTruncating(Activation.SaturationFraction * TAct.MaxDerivative);
        return BackpropWithSaturation.Run<T, TAct>(x, y, gradOutput, gradInput, Size, threshold, aliveUnits, out stats);
    }
}
