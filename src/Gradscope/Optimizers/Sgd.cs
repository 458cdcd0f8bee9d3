using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Layers;

namespace Gradscope.Optimizers;

/// <summary>
/// Stochastic gradient descent, plain or with (Nesterov) momentum, as PyTorch's <c>torch.optim.SGD</c>
/// with dampening 0. With <c>g = grad + wd * p</c> (L2 weight decay):
/// <list type="bullet">
/// <item>plain: <c>p -= lr * g</c></item>
/// <item>momentum: <c>buf = mu * buf + g</c> (<c>buf = g</c> on the first step); <c>p -= lr * buf</c></item>
/// <item>Nesterov: the same <c>buf</c>; <c>p -= lr * (g + mu * buf)</c></item>
/// </list>
/// </summary>
public sealed class Sgd<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ParameterStates<T> _states = new();
    private double _learningRate;

    /// <summary>Creates the optimizer; <paramref name="momentum"/> 0 gives plain SGD.</summary>
    /// <exception cref="GradscopeException">A setting is out of range, or Nesterov without momentum.</exception>
    public Sgd(double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0, bool decayBiases = false)
    {
        LearningRate = learningRate;
        Momentum = Hyperparameters.AtLeastZero(momentum, "momentum");
        WeightDecay = Hyperparameters.WeightDecay(weightDecay);
        if (nesterov && momentum == 0)
            throw new GradscopeException("Nesterov momentum needs a momentum above 0; got 0.");
        Nesterov = nesterov;
        DecayBiases = decayBiases;
    }

    /// <inheritdoc/>
    public string Name => Nesterov ? "nesterov" : Momentum > 0 ? "momentum" : "sgd";

    /// <inheritdoc/>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = Hyperparameters.LearningRate(value);
    }

    /// <summary>Momentum coefficient mu; 0 for plain SGD.</summary>
    public double Momentum { get; }

    /// <summary>Whether the step looks ahead along the momentum (Sutskever et al. 2013, PyTorch's form).</summary>
    public bool Nesterov { get; }

    /// <summary>L2 weight decay, added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether <see cref="WeightDecay"/> applies to biases too.</summary>
    public bool DecayBiases { get; }

    /// <inheritdoc/>
    public void Step(IReadOnlyList<Parameter<T>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        T lr = T.CreateTruncating(_learningRate);
        T mu = T.CreateTruncating(Momentum);
        for (int i = 0; i < parameters.Count; i++)
            Update(parameters[i], lr, mu);
    }

    private void Update(Parameter<T> parameter, T lr, T mu)
    {
        ParameterState<T> state = _states[parameter];
        Span<T> value = parameter.Value.Span;
        ReadOnlySpan<T> grad = state.Gradient(parameter, WeightDecay, DecayBiases);
        if (Momentum == 0)
        {
            TensorPrimitives.MultiplyAdd(grad, -lr, value, value);
            state.Steps++;
            return;
        }

        Span<T> buffer = state.First(value.Length);
        if (state.Steps == 0)
            grad.CopyTo(buffer);
        else
            TensorPrimitives.MultiplyAdd(buffer, mu, grad, buffer);

        if (Nesterov)
        {
            Span<T> lookAhead = state.Scratch(value.Length);
            TensorPrimitives.MultiplyAdd(buffer, mu, grad, lookAhead);
            TensorPrimitives.MultiplyAdd(lookAhead, -lr, value, value);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(buffer, -lr, value, value);
        }

        state.Steps++;
    }
}
