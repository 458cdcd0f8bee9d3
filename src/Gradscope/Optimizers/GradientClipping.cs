using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Optimizers;

/// <summary>Gradient clipping between backward and the optimizer step, in place on <c>Parameter.Grad</c>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// The L2 norm of all gradients together, <c>sqrt(sum over parameters of sum grad^2)</c>, with
    /// the sum of squares the monitor reports (<see cref="Reductions.SumOfSquares{T}"/>: squared
    /// and accumulated in double, so float gradients up to float's maximum do not overflow it).
    /// </summary>
    public static double GlobalNorm<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double sum = 0;
        for (int i = 0; i < parameters.Count; i++)
            sum += Reductions.SumOfSquares<T>(parameters[i].Grad.Span);
        return Math.Sqrt(sum);
    }

    /// <summary>
    /// As <c>torch.nn.utils.clip_grad_norm_</c>: computes the global norm, and where
    /// <c>maxNorm / (norm + 1e-6)</c> is below 1 multiplies every gradient by it, so the norm becomes
    /// (just under) <paramref name="maxNorm"/>. A NaN or infinite norm leaves the gradients as they
    /// are (PyTorch would turn them all into NaN), so the non-finite values stay visible.
    /// </summary>
    /// <returns>The global norm before clipping.</returns>
    /// <exception cref="GradscopeException"><paramref name="maxNorm"/> is not a positive finite number.</exception>
    public static double ClipByGlobalNorm<T>(IReadOnlyList<Parameter<T>> parameters, double maxNorm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!double.IsFinite(maxNorm) || maxNorm <= 0)
            throw new GradscopeException($"The gradient clipping norm must be a positive finite number; got {maxNorm}.");
        double norm = GlobalNorm(parameters);
        double scale = maxNorm / (norm + 1e-6);
        if (!double.IsFinite(norm) || scale >= 1.0)
            return norm;

        T factor = T.CreateTruncating(scale);
        for (int i = 0; i < parameters.Count; i++)
        {
            Span<T> grad = parameters[i].Grad.Span;
            TensorPrimitives.Multiply(grad, factor, grad);
        }

        return norm;
    }

    /// <summary>
    /// As <c>torch.nn.utils.clip_grad_value_</c>: clamps every gradient element to
    /// <c>[-limit, limit]</c>; NaN stays NaN.
    /// </summary>
    /// <exception cref="GradscopeException"><paramref name="limit"/> is not a positive finite number.</exception>
    public static void ClipByValue<T>(IReadOnlyList<Parameter<T>> parameters, double limit)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!double.IsFinite(limit) || limit <= 0)
            throw new GradscopeException($"The gradient clipping value must be a positive finite number; got {limit}.");
        T high = T.CreateTruncating(limit);
        for (int i = 0; i < parameters.Count; i++)
        {
            Span<T> grad = parameters[i].Grad.Span;
            TensorPrimitives.Clamp(grad, -high, high, grad);
        }
    }
}
