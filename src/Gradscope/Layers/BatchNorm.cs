using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Tensors;

namespace Gradscope.Layers;

/// <summary>
/// Batch normalization (Ioffe and Szegedy 2015) of each feature of a <c>[batch, n]</c> input, as
/// PyTorch's <c>nn.BatchNorm1d(n)</c>, so tensors interchange. In training each feature is
/// normalized with the batch's mean and biased variance, then scaled by <see cref="Weight"/>
/// (gamma, 1 at first) and shifted by <see cref="Bias"/> (beta, 0 at first), and the running
/// statistics move toward the batch's: <c>running = (1 - momentum) running + momentum batch</c>,
/// the running variance taking the unbiased batch variance. In evaluation the running statistics
/// normalize instead, so the output no longer depends on the rest of the batch.
/// </summary>
/// <remarks>
/// A training batch of one row has no variance: its output is beta and the running statistics stay
/// as they are (PyTorch raises an error instead; a last mini-batch of one row should not end a run).
/// </remarks>
public sealed class BatchNorm<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>PyTorch's default momentum of the running statistics.</summary>
    public const double DefaultMomentum = 0.1;

    /// <summary>PyTorch's default epsilon added to the variance.</summary>
    public const double DefaultEpsilon = 1e-5;

    private readonly Parameter<T>[] _parameters;
    private readonly T _momentum;
    private readonly T _epsilon;

    // Per feature, [n]: the statistics forward used, and backward's column sums.
    private readonly T[] _mean;
    private readonly T[] _variance;
    private readonly T[] _invStd;
    private readonly T[] _scale;
    private readonly T[] _sumGrad;
    private readonly T[] _sumGradXhat;
    private readonly Matrix<T> _xhat;
    private bool _forwardWasTraining;
    private bool _hasForward;

    /// <summary>Creates a layer over <paramref name="size"/> features: gamma 1, beta 0, running mean 0, running variance 1.</summary>
    public BatchNorm(int size, double momentum = DefaultMomentum, double epsilon = DefaultEpsilon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (!(momentum is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must be in [0, 1].");
        if (!(epsilon > 0))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be positive.");
        Size = size;
        Momentum = momentum;
        Epsilon = epsilon;
        _momentum = T.CreateTruncating(momentum);
        _epsilon = T.CreateTruncating(epsilon);
        Weight = new Parameter<T>("weight", 1, size);
        Weight.Value.Span.Fill(T.One);
        Bias = new Parameter<T>("bias", 1, size);
        _parameters = [Weight, Bias];
        RunningMean = new Matrix<T>(1, size);
        RunningVariance = new Matrix<T>(1, size);
        RunningVariance.Span.Fill(T.One);
        _mean = new T[size];
        _variance = new T[size];
        _invStd = new T[size];
        _scale = new T[size];
        _sumGrad = new T[size];
        _sumGradXhat = new T[size];
        _xhat = new Matrix<T>(0, size);
        Output = new Matrix<T>(0, size);
        GradInput = new Matrix<T>(0, size);
    }

    /// <inheritdoc/>
    public string Kind => "batchnorm";

    /// <summary>Features in and out.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    public int InputSize => Size;

    /// <inheritdoc/>
    public int OutputSize => Size;

    /// <summary>Weight of the batch statistics in each running-statistics update.</summary>
    public double Momentum { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }

    /// <summary>gamma, <c>[1, n]</c> (state-dict name <c>weight</c>, saved as <c>[n]</c>).</summary>
    public Parameter<T> Weight { get; }

    /// <summary>beta, <c>[1, n]</c> (state-dict name <c>bias</c>, saved as <c>[n]</c>).</summary>
    public Parameter<T> Bias { get; }

    /// <summary>Learnable tensors: gamma and beta. The running statistics are buffers, not parameters.</summary>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>Buffer <c>running_mean</c>, <c>[1, n]</c>: what evaluation subtracts.</summary>
    public Matrix<T> RunningMean { get; }

    /// <summary>Buffer <c>running_var</c>, <c>[1, n]</c>: the (unbiased) variance evaluation divides by.</summary>
    public Matrix<T> RunningVariance { get; }

    /// <summary>Buffer <c>num_batches_tracked</c>: training batches that updated the running statistics.</summary>
    public long BatchesTracked { get; set; }

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
        Output.Resize(rows);
        if (training)
            BatchStatistics(input);
        else
            RunningStatistics();

        // xhat = (x - mean) / sqrt(var + eps); y = gamma xhat + beta.
        ReadOnlySpan<T> gamma = Weight.Value.Span;
        ReadOnlySpan<T> beta = Bias.Value.Span;
        for (int r = 0; r < rows; r++)
        {
            Span<T> xhat = _xhat.Row(r);
            TensorPrimitives.Subtract(input.Row(r), _mean, xhat);
            TensorPrimitives.Multiply(xhat, _invStd, xhat);
            TensorPrimitives.MultiplyAdd(xhat, gamma, beta, Output.Row(r));
        }

        if (training && rows > 1)
            UpdateRunningStatistics(rows);
        _forwardWasTraining = training;
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

        // dL/dbeta_j = sum_i dy_ij; dL/dgamma_j = sum_i dy_ij xhat_ij.
        Array.Clear(_sumGrad);
        Array.Clear(_sumGradXhat);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> dy = gradOutput.Row(r);
            TensorPrimitives.Add(_sumGrad, dy, _sumGrad);
            TensorPrimitives.MultiplyAdd(dy, _xhat.Row(r), _sumGradXhat, _sumGradXhat);
        }

        TensorPrimitives.Add(Bias.Grad.Span, _sumGrad, Bias.Grad.Span);
        TensorPrimitives.Add(Weight.Grad.Span, _sumGradXhat, Weight.Grad.Span);

        // k = gamma / sqrt(var + eps), the slope of y in x when the statistics are constants.
        TensorPrimitives.Multiply(Weight.Value.Span, _invStd, _scale);
        GradInput.Resize(rows);
        if (_forwardWasTraining)
            BackwardThroughBatchStatistics(gradOutput);
        else
            for (int r = 0; r < rows; r++)
                TensorPrimitives.Multiply(gradOutput.Row(r), _scale, GradInput.Row(r));
        return GradInput;
    }

    private void BatchStatistics(Matrix<T> input)
    {
        // mean_j = (1/B) sum_i x_ij; var_j = (1/B) sum_i (x_ij - mean_j)^2, the biased variance.
        T count = T.CreateTruncating(input.Rows);
        Array.Clear(_mean);
        for (int r = 0; r < input.Rows; r++)
            TensorPrimitives.Add(_mean, input.Row(r), _mean);
        TensorPrimitives.Divide(_mean, count, _mean);
        Array.Clear(_variance);
        for (int r = 0; r < input.Rows; r++)
        {
            Span<T> centered = _xhat.Row(r);
            TensorPrimitives.Subtract(input.Row(r), _mean, centered);
            TensorPrimitives.MultiplyAdd(centered, centered, _variance, _variance);
        }

        TensorPrimitives.Divide(_variance, count, _variance);
        InverseStd(_variance);
    }

    private void RunningStatistics()
    {
        RunningMean.Span.CopyTo(_mean);
        InverseStd(RunningVariance.Span);
    }

    private void InverseStd(ReadOnlySpan<T> variance)
    {
        TensorPrimitives.Add(variance, _epsilon, _invStd);
        TensorPrimitives.Sqrt(_invStd, _invStd);
        TensorPrimitives.Reciprocal(_invStd, _invStd);
    }

    private void UpdateRunningStatistics(int rows)
    {
        // running = (1 - m) running + m batch; the variance enters unbiased, times B / (B - 1).
        T keep = T.One - _momentum;
        T unbiased = _momentum * T.CreateTruncating(rows) / T.CreateTruncating(rows - 1);
        Span<T> mean = RunningMean.Span;
        TensorPrimitives.Multiply(mean, keep, mean);
        TensorPrimitives.MultiplyAdd(_mean, _momentum, mean, mean);
        Span<T> variance = RunningVariance.Span;
        TensorPrimitives.Multiply(variance, keep, variance);
        TensorPrimitives.MultiplyAdd(_variance, unbiased, variance, variance);
        BatchesTracked++;
    }

    private void BackwardThroughBatchStatistics(Matrix<T> gradOutput)
    {
        // With dxhat = gamma dy and the mean and variance depending on the whole batch:
        // dx_ij = k_j (dy_ij - (1/B) sum_i dy_ij - xhat_ij (1/B) sum_i dy_ij xhat_ij).
        T count = T.CreateTruncating(gradOutput.Rows);
        TensorPrimitives.Divide(_sumGrad, count, _sumGrad);
        TensorPrimitives.Divide(_sumGradXhat, count, _sumGradXhat);
        for (int r = 0; r < gradOutput.Rows; r++)
        {
            Span<T> dx = GradInput.Row(r);
            TensorPrimitives.Multiply(_xhat.Row(r), _sumGradXhat, dx);
            TensorPrimitives.Subtract(gradOutput.Row(r), dx, dx);
            TensorPrimitives.Subtract(dx, _sumGrad, dx);
            TensorPrimitives.Multiply(dx, _scale, dx);
        }
    }
}
