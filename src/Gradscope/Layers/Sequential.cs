using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Layers;

/// <summary>
/// Layers applied in order, as PyTorch's <c>nn.Sequential</c>: the index of a layer is its name in
/// a state dict (<c>0.weight</c>, <c>2.bias</c>), activations taking an index too, unless the layer
/// is given its module path (a network loaded from a file keeps the file's names; see <see cref="LayerTree"/>).
/// </summary>
public sealed class Sequential<T> : ILayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T>[] _layers;
    private readonly string?[] _modules;
    private readonly Parameter<T>[] _parameters;

    // Entry i is the activation layer i + 1 when layer i is a dense layer feeding it: the pair runs
    // as one fused forward pass (Dense.ForwardActivated).
    private readonly ActivationLayer<T>?[] _fusedActivation;

    /// <summary>
    /// Chains <paramref name="layers"/>; each one's output size must match the next one's input size.
    /// <paramref name="modules"/>, when given, holds each layer's module path from the root (null to
    /// name it by its index).
    /// </summary>
    public Sequential(IReadOnlyList<ILayer<T>> layers, IReadOnlyList<string?>? modules = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
            throw new ArgumentException("A Sequential needs at least one layer.", nameof(layers));
        if (modules is not null && modules.Count != layers.Count)
            throw new ArgumentException($"{modules.Count} module paths for {layers.Count} layers.", nameof(modules));
        for (int i = 1; i < layers.Count; i++)
        {
            if (layers[i - 1].OutputSize != layers[i].InputSize)
            {
                throw new GradscopeException(
                    $"Layer {i - 1} ({layers[i - 1].Kind}) outputs {layers[i - 1].OutputSize} features but layer {i} ({layers[i].Kind}) expects {layers[i].InputSize}.");
            }
        }

        _layers = [.. layers];
        _modules = modules is null ? new string?[_layers.Length] : [.. modules];
        foreach (string? module in _modules)
        {
            if (module is not null)
                ModulePath.Check(module);
        }

        _fusedActivation = new ActivationLayer<T>?[_layers.Length];
        for (int i = 0; i + 1 < _layers.Length; i++)
            _fusedActivation[i] = _layers[i] is Dense<T> && _layers[i + 1] is ActivationLayer<T> activation ? activation : null;
        var parameters = new List<Parameter<T>>();
        foreach (var layer in _layers)
            parameters.AddRange(layer.Parameters);
        _parameters = [.. parameters];
    }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<ILayer<T>> Layers => _layers;

    /// <summary>The module path given to layer <paramref name="index"/>, or null when it is named by its index.</summary>
    public string? ModuleOf(int index) => _modules[index];

    /// <inheritdoc/>
    public string Kind => "sequential";

    /// <inheritdoc/>
    public int InputSize => _layers[0].InputSize;

    /// <inheritdoc/>
    public int OutputSize => _layers[^1].OutputSize;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <summary>Total number of learnable scalars.</summary>
    public long ParameterCount
    {
        get
        {
            long count = 0;
            foreach (var p in _parameters)
                count += p.Value.Length;
            return count;
        }
    }

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> input, bool training)
    {
        var x = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_fusedActivation[i] is { } activation)
            {
                x = ((Dense<T>)_layers[i]).ForwardActivated(x, activation);
                i++;
                continue;
            }

            x = _layers[i].Forward(x, training);
        }

        return x;
    }

    /// <inheritdoc/>
    public Matrix<T> Backward(Matrix<T> gradOutput)
    {
        var g = gradOutput;
        for (int i = _layers.Length - 1; i >= 0; i--)
            g = _layers[i].Backward(g);
        return g;
    }

    /// <summary>Sets every parameter gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
            p.ZeroGrad();
    }
}
