using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Tensors;

namespace Gradscope.Layers;

/// <summary>
/// Inverted dropout (Srivastava et al. 2014), as PyTorch's <c>nn.Dropout(p)</c>: in training each
/// element is zeroed with probability p and the survivors are scaled by <c>1 / (1 - p)</c>, so the
/// expected output equals the input and evaluation is the identity. The mask comes from the layer's
/// own <see cref="SeededRandom"/> and is kept for backward.
/// </summary>
public sealed class Dropout<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _keepScale;
    private SeededRandom _rng;
    private bool _maskApplied;
    private bool _hasForward;

    /// <summary>Creates a layer over <paramref name="size"/> features dropping with <paramref name="probability"/> in [0, 1).</summary>
    public Dropout(int size, double probability, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (!(probability is >= 0 and < 1))
            throw new GradscopeException($"The dropout probability must be in [0, 1); got {probability}.");
        Size = size;
        Probability = probability;
        _keepScale = T.CreateTruncating(1 / (1 - probability));
        _rng = new SeededRandom(seed);
        Mask = new Matrix<T>(0, size);
        Output = new Matrix<T>(0, size);
        GradInput = new Matrix<T>(0, size);
    }

    /// <inheritdoc/>
    public string Kind => "dropout";

    /// <summary>Features in and out.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    public int InputSize => Size;

    /// <inheritdoc/>
    public int OutputSize => Size;

    /// <summary>Probability of zeroing an element in training.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary>
    /// When true, a training forward reuses the current mask instead of drawing a new one (a mask
    /// is drawn only when there is none yet for the batch size). Off in training; the gradient
    /// check turns it on so that repeated forward passes compute the same function.
    /// </summary>
    public bool MaskFrozen { get; set; }

    /// <summary>Tap: the mask of the last training forward, <c>[batch, n]</c>: 0 or <c>1 / (1 - p)</c>.</summary>
    public Matrix<T> Mask { get; }

    /// <summary>Tap: the output of the last forward pass, <c>[batch, n]</c>.</summary>
    public Matrix<T> Output { get; }

    /// <summary>dLoss/dInput of the last backward pass, <c>[batch, n]</c>.</summary>
    public Matrix<T> GradInput { get; }

    /// <summary>Restarts the mask sequence from <paramref name="seed"/> (a network's builder seeds each layer from the run's seed).</summary>
    public void Reseed(int seed) => _rng = new SeededRandom(seed);

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        // [B, n] -> [B, n]: y = x * mask in training, y = x in evaluation.
        LayerChecks.Columns(this, input, Size, "input");
        int rows = input.Rows;
        Output.Resize(rows);
        _maskApplied = training && Probability > 0;
        _hasForward = true;
        if (!_maskApplied)
        {
            input.Span.CopyTo(Output.Span);
            return Output;
        }

        if (!MaskFrozen || Mask.Rows != rows)
            DrawMask(rows);
        TensorPrimitives.Multiply(input.Span, Mask.Span, Output.Span);
        return Output;
    }

    /// <inheritdoc/>
    public Matrix<T> Backward(Matrix<T> gradOutput)
    {
        // [B, n] -> [B, n]: dy/dx = mask (the identity after an evaluation forward).
        if (!_hasForward)
            throw new InvalidOperationException("Backward called before Forward.");
        LayerChecks.SameShape(this, gradOutput, Output, "gradOutput");
        GradInput.Resize(gradOutput.Rows);
        if (_maskApplied)
            TensorPrimitives.Multiply(gradOutput.Span, Mask.Span, GradInput.Span);
        else
            gradOutput.Span.CopyTo(GradInput.Span);
        return GradInput;
    }

    private void DrawMask(int rows)
    {
        Mask.Resize(rows);
        Span<T> mask = Mask.Span;
        for (int i = 0; i < mask.Length; i++)
            mask[i] = _rng.NextDouble() < Probability ? T.Zero : _keepScale;
    }
}
