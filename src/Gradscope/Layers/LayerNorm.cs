using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Tensors;

namespace Gradscope.Layers;

/// <summary>
/// Layer normalization (Ba, Kiros and Hinton 2016) of each row of a <c>[batch, n]</c> input over its
/// n features, as PyTorch's <c>nn.LayerNorm(n)</c>: the row is normalized with its own mean and
/// biased variance, then scaled by <see cref="Weight"/> (gamma, 1 at first) and shifted by
/// <see cref="Bias"/> (beta, 0 at first). Rows do not interact, so training and evaluation agree.
/// </summary>
public sealed class LayerNorm<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>PyTorch's default epsilon added to the variance.</summary>
    public const double DefaultEpsilon = 1e-5;

    private readonly Parameter<T>[] _parameters;
    private readonly T _epsilon;
    private readonly T _count;
    private readonly Matrix<T> _xhat;
    private readonly Matrix<T> _invStd;
    private bool _hasForward;

    /// <summary>Creates a layer over <paramref name="size"/> features: gamma 1, beta 0.</summary>
    public LayerNorm(int size, double epsilon = DefaultEpsilon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (!(epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be positive.");
        Size = size;
        Epsilon = epsilon;
        _epsilon = T.CreateTruncating(epsilon);
        _count = T.CreateTruncating(size);
        Weight = new Parameter<T>("weight", 1, size);
        Weight.Value.Span.Fill(T.One);
        Bias = new Parameter<T>("bias", 1, size);
        _parameters = [Weight, Bias];
        _xhat = new Matrix<T>(0, size);
        _invStd = new Matrix<T>(0, 1);
        Output = new Matrix<T>(0, size);
        GradInput = new Matrix<T>(0, size);
    }

    /// <inheritdoc/>
    public string Kind => "layernorm";

    /// <summary>Features in and out.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    public int InputSize => Size;

    /// <inheritdoc/>
    public int OutputSize => Size;

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>gamma, <c>[1, n]</c> (state-dict name <c>weight</c>, saved as <c>[n]</c>).</summary>
    public Parameter<T> Weight { get; }

    /// <summary>beta, <c>[1, n]</c> (state-dict name <c>bias</c>, saved as <c>[n]</c>).</summary>
    public Parameter<T> Bias { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>Tap: the output of the last forward pass, <c>[batch, n]</c>.</summary>
    public Matrix<T> Output { get; }

    /// <summary>Tap: the normalized input (before gamma and beta) of the last forward pass, <c>[batch, n]</c>.</summary>
    public Matrix<T> Normalized => _xhat;

    /// <summary>dLoss/dInput of the last backward pass, <c>[batch, n]</c>.</summary>
    public Matrix<T> GradInput { get; }

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        // [B, n] -> [B, n]
        LayerChecks.Columns(this, input, Size, "input");
        int rows = input.Rows;
        _xhat.Resize(rows);
        _invStd.Resize(rows);
        Output.Resize(rows);
        ReadOnlySpan<T> gamma = Weight.Value.Span;
        ReadOnlySpan<T> beta = Bias.Value.Span;
        for (int r = 0; r < rows; r++)
        {
            // mean = (1/n) sum_j x_j; var = (1/n) sum_j (x_j - mean)^2; xhat = (x - mean) / sqrt(var + eps).
            Span<T> xhat = _xhat.Row(r);
            T mean = TensorPrimitives.Sum<T>(input.Row(r)) / _count;
            TensorPrimitives.Subtract(input.Row(r), mean, xhat);
            T variance = TensorPrimitives.SumOfSquares<T>(xhat) / _count;
            T invStd = T.One / T.Sqrt(variance + _epsilon);
            _invStd[r, 0] = invStd;
            TensorPrimitives.Multiply(xhat, invStd, xhat);

            // y = gamma xhat + beta.
            TensorPrimitives.MultiplyAdd(xhat, gamma, beta, Output.Row(r));
        }

        _hasForward = true;
        return Output;
    }

    /// <inheritdoc/>
    public Matrix<T> Backward(Matrix<T> gradOutput)
    {
        // [B, n] -> [B, n]
        if (!_hasForward)
            throw new InvalidOperationException("Backward called before Forward.");
        LayerChecks.SameShape(this, gradOutput, Output, "gradOutput");
        int rows = gradOutput.Rows;
        GradInput.Resize(rows);
        ReadOnlySpan<T> gamma = Weight.Value.Span;
        Span<T> gammaGrad = Weight.Grad.Span;
        Span<T> betaGrad = Bias.Grad.Span;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> dy = gradOutput.Row(r);
            ReadOnlySpan<T> xhat = _xhat.Row(r);

            // dL/dbeta_j = sum_i dy_ij; dL/dgamma_j = sum_i dy_ij xhat_ij.
            TensorPrimitives.Add(betaGrad, dy, betaGrad);
            TensorPrimitives.MultiplyAdd(dy, xhat, gammaGrad, gammaGrad);

            // dxhat = gamma dy; with the row's own mean and variance depending on every x_j:
            // dx_j = invStd (dxhat_j - (1/n) sum_k dxhat_k - xhat_j (1/n) sum_k dxhat_k xhat_k).
            Span<T> dx = GradInput.Row(r);
            TensorPrimitives.Multiply(dy, gamma, dx);
            T meanGrad = TensorPrimitives.Sum<T>(dx) / _count;
            T meanGradXhat = TensorPrimitives.Dot<T>(dx, xhat) / _count;
            TensorPrimitives.Subtract(dx, meanGrad, dx);
            TensorPrimitives.MultiplyAdd(xhat, -meanGradXhat, dx, dx);
            TensorPrimitives.Multiply(dx, _invStd[r, 0], dx);
        }

        return GradInput;
    }
}
