using System.Numerics;
using Gradscope.Activations;

namespace Gradscope.Layers;

/// <summary>Activation layers made from an <see cref="Activation"/>, specialized on its function.</summary>
public static class ActivationLayers
{
    /// <summary>A layer applying <paramref name="activation"/> to <paramref name="size"/> features.</summary>
    public static ActivationLayer<T> CreateLayer<T>(this Activation activation, int size)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(activation);
        return activation.Accept(new Factory<T>(size));
    }

    private sealed class Factory<T>(int size) : IActivationVisitor<ActivationLayer<T>>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ActivationLayer<T> Visit<TAct>(Activation activation)
            where TAct : struct, IActivationFunction => new ActivationLayer<T, TAct>(activation, size);
    }
}
