using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Layers;

/// <summary>
/// A fully connected layer, <c>y = x W^T + b</c> with W <c>[out, in]</c> and b <c>[1, out]</c>,
/// as PyTorch's <c>nn.Linear</c>, so weights interchange.
/// </summary>
public sealed class Dense<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly bool _isSlice;
    private Matrix<T>? _input;

    /// <summary>Creates a layer with zero weights; an initializer fills them.</summary>
    public Dense(int inputSize, int outputSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        InputSize = inputSize;
        OutputSize = outputSize;
        Weight = new Parameter<T>("weight", outputSize, inputSize);
        Bias = new Parameter<T>("bias", 1, outputSize);
        _parameters = [Weight, Bias];
        Output = new Matrix<T>(0, outputSize);
        GradInput = new Matrix<T>(0, inputSize);
    }

    // A slice: the same weights, gradients of its own, and output buffers that are views of some
    // rows of `full`'s (BatchSplit runs the two halves of a batch through two such slices).
    private Dense(Dense<T> full)
    {
        InputSize = full.InputSize;
        OutputSize = full.OutputSize;
        Weight = new Parameter<T>(full.Weight);
        Bias = new Parameter<T>(full.Bias);
        _parameters = [Weight, Bias];
        Output = Matrix<T>.View(OutputSize);
        GradInput = Matrix<T>.View(InputSize);
        ComputesInputGradient = full.ComputesInputGradient;
        _isSlice = true;
    }

    /// <summary>A layer computing with this one's weights into views of its buffers (see the private constructor).</summary>
    internal Dense<T> CreateSlice() => new(this);

    /// <summary>
    /// Sets what a backward pass would have left, after slices of this layer ran the batch's rows:
    /// the taps and the weight gradient's sum of squares.
    /// </summary>
    internal void AdoptSlices(Matrix<T> input, Matrix<T> gradOutput, double weightGradSumOfSquares)
    {
        _input = input;
        GradOutput = gradOutput;
        WeightGradSumOfSquares = weightGradSumOfSquares;
        if (!ComputesInputGradient)
            GradInput.Resize(0);
    }

    /// <inheritdoc/>
    public string Kind => "dense";

    /// <inheritdoc/>
    public int InputSize { get; }

    /// <inheritdoc/>
    public int OutputSize { get; }

    /// <summary>W, <c>[out, in]</c>.</summary>
    public Parameter<T> Weight { get; }

    /// <summary>b, <c>[1, out]</c>.</summary>
    public Parameter<T> Bias { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>
    /// When false, <see cref="Backward"/> skips dLoss/dInput (the first layer's input is data, whose
    /// gradient nobody reads) and returns the empty <see cref="GradInput"/>.
    /// </summary>
    public bool ComputesInputGradient { get; set; } = true;

    /// <summary>Tap: the pre-activation of the last forward pass, <c>[batch, out]</c>.</summary>
    public Matrix<T> Output { get; }

    /// <summary>Tap: dLoss/d(pre-activation), the delta of the last backward pass, <c>[batch, out]</c>.</summary>
    public Matrix<T>? GradOutput { get; private set; }

    /// <summary>
    /// Sum of squares of <see cref="Weight"/>'s gradient as the last backward pass left it, computed
    /// by the GEMM as it wrote the gradient (the monitor's grad_norm without a pass of its own).
    /// </summary>
    public double WeightGradSumOfSquares { get; private set; }

    /// <summary>dLoss/dInput of the last backward pass, <c>[batch, in]</c>.</summary>
    public Matrix<T> GradInput { get; }

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        LayerChecks.Columns(this, input, InputSize, "input");
        _input = input;
        Output.Resize(input.Rows);
        Gemm.Affine(input, Weight.Value, Bias.Value, Output);
        return Output;
    }

    /// <summary>
    /// <see cref="Forward"/> followed by <paramref name="activation"/>'s forward pass, with the
    /// activation applied by the GEMM to each block of the output as soon as the block is final
    /// (in cache, on the thread that wrote it) instead of in a pass of its own. Both layers end up
    /// exactly as if run one after the other; returns the activation's output.
    /// </summary>
    internal Matrix<T> ForwardActivated(Matrix<T> input, ActivationLayer<T> activation)
    {
        LayerChecks.Columns(this, input, InputSize, "input");
        _input = input;
        Output.Resize(input.Rows);
        var epilogue = activation.PrepareFusedForward(Output);
        Gemm.Affine(input, Weight.Value, Bias.Value, Output, epilogue);
        return activation.Output;
    }

    /// <inheritdoc/>
    public Matrix<T> Backward(Matrix<T> gradOutput)
    {
        var input = _input ?? throw new InvalidOperationException("Backward called before Forward.");
        LayerChecks.SameShape(this, gradOutput, Output, "gradOutput");
        GradOutput = gradOutput;

        // dL/dW = dY^T X and dL/db = sum over the batch of dY, added to what earlier passes left,
        // or written over it when the gradient was just zeroed.
        // A slice's sum of squares would go unread: the split sums the squares of the added halves.
        var weightGrad = Weight.GradForWrite(out bool accumulate);
        if (_isSlice)
            Gemm.MultiplyTransposeA(gradOutput, input, weightGrad, accumulate);
        else
            WeightGradSumOfSquares = Gemm.MultiplyTransposeASquares(gradOutput, input, weightGrad, accumulate);
        Reductions.SumRows<T>(gradOutput.Span, OutputSize, Bias.GradForWrite(out bool accumulateBias).Span, accumulateBias);

        if (!ComputesInputGradient)
        {
            GradInput.Resize(0);
            return GradInput;
        }

        // dL/dX = dY W.
        GradInput.Resize(gradOutput.Rows);
        Gemm.Multiply(gradOutput, Weight.Value, GradInput);
        return GradInput;
    }
}
