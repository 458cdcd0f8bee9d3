using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Layers;
using Gradscope.Tensors;

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
        _update = new UpdateJob(this);
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
        var states = _update.Begin(parameters, T.CreateTruncating(_learningRate), T.CreateTruncating(Momentum));
        long elements = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            var state = _states[parameter];
            int length = parameter.Value.Length;
            bool decays = WeightDecay != 0 && (!parameter.IsBias || DecayBiases);
            state.Reserve(length, first: Momentum != 0, scratch: Nesterov, decayed: decays);
            states[i] = state;
            elements += length;
        }

        // The update streams memory (value, gradient, momentum): on a large network both cores
        // move it faster than one. Each part updates its own slice of every parameter.
        if (elements < ParallelElements || !GemmWorkers.TryRun(_update))
            _update.RunPart(0, 1);
        _update.End();
        for (int i = 0; i < parameters.Count; i++)
            states[i].Steps++;
    }

    /// <summary>Updates of at least this many elements in all run on every core.</summary>
    private const long ParallelElements = 1 << 18;

    private readonly UpdateJob _update;

    private void Update(Parameter<T> parameter, ParameterState<T> state, T lr, T mu, int start, int length)
    {
        Span<T> value = parameter.Value.Span.Slice(start, length);
        ReadOnlySpan<T> grad = state.Gradient(parameter, WeightDecay, DecayBiases, start, length);
        if (Momentum == 0)
        {
            TensorPrimitives.MultiplyAdd(grad, -lr, value, value);
            return;
        }

        Span<T> buffer = state.First(parameter.Value.Length).Slice(start, length);
        if (state.Steps == 0)
            grad.CopyTo(buffer);
        else
            TensorPrimitives.MultiplyAdd(buffer, mu, grad, buffer);

        if (Nesterov)
        {
            Span<T> lookAhead = state.Scratch(parameter.Value.Length).Slice(start, length);
            TensorPrimitives.MultiplyAdd(buffer, mu, grad, lookAhead);
            TensorPrimitives.MultiplyAdd(lookAhead, -lr, value, value);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(buffer, -lr, value, value);
        }
    }

    /// <summary>One step's update, split into parts that each take a slice of every parameter.</summary>
    private sealed class UpdateJob(Sgd<T> optimizer) : IParallelJob
    {
        private ParameterState<T>[] _states = [];
        private IReadOnlyList<Parameter<T>>? _parameters;
        private T _lr;
        private T _mu;

        public ParameterState<T>[] Begin(IReadOnlyList<Parameter<T>> parameters, T lr, T mu)
        {
            if (_states.Length < parameters.Count)
                _states = new ParameterState<T>[parameters.Count];
            (_parameters, _lr, _mu) = (parameters, lr, mu);
            return _states;
        }

        public void End() => _parameters = null;

        public void RunPart(int part, int parts)
        {
            for (int i = 0; i < _parameters!.Count; i++)
            {
                int length = _parameters[i].Value.Length;
                int start = Boundary(length, part, parts), end = Boundary(length, part + 1, parts);
                if (end > start)
                    optimizer.Update(_parameters[i], _states[i], _lr, _mu, start, end - start);
            }
        }

        // Slices start on 16-element boundaries (64 bytes of floats), so two cores share at most one
        // cache line at each boundary. The update is elementwise: slicing does not change a value.
        private static int Boundary(int length, int part, int parts) =>
            part == parts ? length : (int)((long)length * part / parts) & ~15;
    }
}
