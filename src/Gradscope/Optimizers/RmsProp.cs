using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Layers;

namespace Gradscope.Optimizers;

/// <summary>
/// RMSProp (Tieleman and Hinton 2012) as PyTorch's <c>torch.optim.RMSprop</c> (not centered, no
/// momentum). With <c>g = grad + wd * p</c>: <c>v = alpha * v + (1 - alpha) * g^2</c> (v starts at 0);
/// <c>p -= lr * g / (sqrt(v) + eps)</c>. Defaults: lr 0.01, alpha 0.99, eps 1e-8.
/// </summary>
public sealed class RmsProp<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ParameterStates<T> _states = new();
    private double _learningRate;

    /// <summary>Creates the optimizer.</summary>
    /// <exception cref="GradscopeException">A setting is out of range.</exception>
    public RmsProp(double learningRate = 0.01, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0, bool decayBiases = false)
    {
        LearningRate = learningRate;
        Alpha = Hyperparameters.DecayRate(alpha, "RMSProp alpha");
        Epsilon = Hyperparameters.AtLeastZero(epsilon, "epsilon");
        WeightDecay = Hyperparameters.WeightDecay(weightDecay);
        DecayBiases = decayBiases;
    }

    /// <inheritdoc/>
    public string Name => "rmsprop";

    /// <inheritdoc/>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = Hyperparameters.LearningRate(value);
    }

    /// <summary>Decay of the running mean of squared gradients.</summary>
    public double Alpha { get; }

    /// <summary>Added to <c>sqrt(v)</c> so the division is defined where v is 0.</summary>
    public double Epsilon { get; }

    /// <summary>L2 weight decay, added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether <see cref="WeightDecay"/> applies to biases too.</summary>
    public bool DecayBiases { get; }

    /// <inheritdoc/>
    public void Step(IReadOnlyList<Parameter<T>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        T lr = T.CreateTruncating(_learningRate);
        for (int i = 0; i < parameters.Count; i++)
            Update(parameters[i], lr);
    }

    private void Update(Parameter<T> parameter, T lr)
    {
        ParameterState<T> state = _states[parameter];
        Span<T> value = parameter.Value.Span;
        ReadOnlySpan<T> grad = state.Gradient(parameter, WeightDecay, DecayBiases);
        Span<T> squareAverage = state.Second(value.Length);
        Span<T> scratch = state.Scratch(value.Length);

        // v = alpha * v + ((1 - alpha) * g) * g
        TensorPrimitives.Multiply(grad, T.CreateTruncating(1.0 - Alpha), scratch);
        TensorPrimitives.Multiply(squareAverage, T.CreateTruncating(Alpha), squareAverage);
        TensorPrimitives.MultiplyAdd(scratch, grad, squareAverage, squareAverage);

        // p += -lr * g / (sqrt(v) + eps)
        TensorPrimitives.Sqrt(squareAverage, scratch);
        TensorPrimitives.Add(scratch, T.CreateTruncating(Epsilon), scratch);
        TensorPrimitives.Divide(grad, scratch, scratch);
        TensorPrimitives.MultiplyAdd(scratch, -lr, value, value);
        state.Steps++;
    }
}
