using System.Numerics;
using Gradscope.Layers;
using Gradscope.Serialization.Safetensors;

namespace Gradscope.Serialization;

public static partial class ModelFile
{
    /// <summary>
    /// Writes the gradient of every trainable tensor of <paramref name="network"/>, as the last
    /// backward pass left it, to <paramref name="destination"/> as a safetensors file: each under its
    /// state-dict name and with its weight's shape, in the network's element type. What a peer such as
    /// PyTorch compares element by element (batch-norm running statistics are not trainable: left out).
    /// </summary>
    /// <exception cref="GradscopeException">The destination cannot be written.</exception>
    public static void SaveGradients<T>(Stream destination, string destinationName, Sequential<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var tensors = new List<SafetensorsTensor>();
        foreach (var leaf in LayerTree.Leaves(network))
        {
            var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
            foreach (var entry in Entries(leaf))
                shapes[entry.Name] = entry.Shape;
            foreach (var parameter in leaf.Layer.Parameters)
            {
                string name = ModulePath.Join(leaf.Path, parameter.Name);
                var grad = parameter.Grad;
                int[] shape = shapes.TryGetValue(name, out var known) ? known : [grad.Rows, grad.Cols];
                tensors.Add(SafetensorsTensor.FromValues<T>(name, shape, grad.Span));
            }
        }

        SafetensorsFile.Write(destination, tensors, new Dictionary<string, string> { ["format"] = "gradients" }, destinationName);
    }
}
