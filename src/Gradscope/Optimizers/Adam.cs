using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Layers;

namespace Gradscope.Optimizers;

/// <summary>
/// Adam (Kingma and Ba 2015) and AdamW (Loshchilov and Hutter 2019) as PyTorch's
/// <c>torch.optim.Adam</c> and <c>torch.optim.AdamW</c>. At step t (from 1):
/// <c>m = b1 m + (1 - b1) g</c>; <c>v = b2 v + (1 - b2) g^2</c>;
/// <c>p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)</c>.
/// Adam adds L2 decay to the gradient (<c>g = grad + wd p</c>); AdamW decays the weights directly
/// before the step (<c>p *= 1 - lr wd</c>) and uses the raw gradient.
/// Defaults: lr 0.001, betas 0.9 and 0.999, eps 1e-8, weight decay 0 (Adam) or 0.01 (AdamW).
/// </summary>
public sealed class Adam<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ParameterStates<T> _states = new();
    private double _learningRate;

    /// <summary>Creates Adam, or AdamW when <paramref name="decoupledWeightDecay"/> is true.</summary>
    /// <exception cref="GradscopeException">A setting is out of range.</exception>
    public Adam(
        double learningRate = 0.001,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 0,
        bool decoupledWeightDecay = false,
        bool decayBiases = false)
    {
        LearningRate = learningRate;
        Beta1 = Hyperparameters.DecayRate(beta1, "Adam beta1");
        Beta2 = Hyperparameters.DecayRate(beta2, "Adam beta2");
        Epsilon = Hyperparameters.AtLeastZero(epsilon, "epsilon");
        WeightDecay = Hyperparameters.WeightDecay(weightDecay);
        DecoupledWeightDecay = decoupledWeightDecay;
        DecayBiases = decayBiases;
    }

    /// <inheritdoc/>
    public string Name => DecoupledWeightDecay ? "adamw" : "adam";

    /// <inheritdoc/>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = Hyperparameters.LearningRate(value);
    }

    /// <summary>Decay of the first-moment (mean) estimate.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the second-moment (uncentered variance) estimate.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator so the division is defined where v is 0.</summary>
    public double Epsilon { get; }

    /// <summary>Weight decay: L2 for Adam, decoupled for AdamW.</summary>
    public double WeightDecay { get; }

    /// <summary>True for AdamW.</summary>
    public bool DecoupledWeightDecay { get; }

    /// <summary>Whether <see cref="WeightDecay"/> applies to biases too.</summary>
    public bool DecayBiases { get; }

    /// <inheritdoc/>
    public void Step(IReadOnlyList<Parameter<T>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        for (int i = 0; i < parameters.Count; i++)
            Update(parameters[i]);
    }

    private void Update(Parameter<T> parameter)
    {
        ParameterState<T> state = _states[parameter];
        Span<T> value = parameter.Value.Span;
        bool decays = WeightDecay != 0 && (DecayBiases || !parameter.IsBias);
        if (DecoupledWeightDecay && decays)
            TensorPrimitives.Multiply(value, T.CreateTruncating(1.0 - (_learningRate * WeightDecay)), value);

        ReadOnlySpan<T> grad = DecoupledWeightDecay
            ? parameter.Grad.Span
            : state.Gradient(parameter, WeightDecay, DecayBiases);
        Span<T> mean = state.First(value.Length);
        Span<T> squareMean = state.Second(value.Length);
        Span<T> scratch = state.Scratch(value.Length);
        int step = ++state.Steps;

        // m = b1 m + (1 - b1) g;  v = b2 v + ((1 - b2) g) g
        TensorPrimitives.Multiply(mean, T.CreateTruncating(Beta1), mean);
        TensorPrimitives.MultiplyAdd(grad, T.CreateTruncating(1.0 - Beta1), mean, mean);
        TensorPrimitives.Multiply(grad, T.CreateTruncating(1.0 - Beta2), scratch);
        TensorPrimitives.Multiply(squareMean, T.CreateTruncating(Beta2), squareMean);
        TensorPrimitives.MultiplyAdd(scratch, grad, squareMean, squareMean);

        // Bias corrections in double, as PyTorch computes them in Python floats.
        double stepSize = _learningRate / (1.0 - Math.Pow(Beta1, step));
        double correction2Sqrt = Math.Sqrt(1.0 - Math.Pow(Beta2, step));

        // p += -stepSize * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
        TensorPrimitives.Sqrt(squareMean, scratch);
        TensorPrimitives.Divide(scratch, T.CreateTruncating(correction2Sqrt), scratch);
        TensorPrimitives.Add(scratch, T.CreateTruncating(Epsilon), scratch);
        TensorPrimitives.Divide(mean, scratch, scratch);
        TensorPrimitives.MultiplyAdd(scratch, T.CreateTruncating(-stepSize), value, value);
    }
}
