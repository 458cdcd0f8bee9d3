using System.Globalization;
using Gradscope.Serialization.Safetensors;
using Gradscope.Training;

namespace Gradscope.Serialization;

/// <summary>Where a network's description comes from besides metadata: a model spec, and files that are not safetensors.</summary>
public static partial class ModelFile
{
    private const string SaveAsSafetensors =
        "save the weights as safetensors in PyTorch instead: from safetensors.torch import save_file; save_file(model.state_dict(), \"model.safetensors\")";

    /// <summary>Reads the safetensors file, or says how to get one from a PyTorch checkpoint (<c>torch.save</c>).</summary>
    private static SafetensorsFile ReadFile(string path)
    {
        try
        {
            return SafetensorsFile.Read(path);
        }
        catch (GradscopeException ex) when (TorchCheckpointKind(path) is { } kind)
        {
            throw new GradscopeException($"{path} is {kind} (what torch.save writes to .pt and .pth files), not a safetensors file; {SaveAsSafetensors}.", ex);
        }
    }

    // torch.save writes a zip archive (since PyTorch 1.6) or, with _use_new_zipfile_serialization=False, a pickle stream.
    private static string? TorchCheckpointKind(string path)
    {
        Span<byte> head = stackalloc byte[4];
        int read;
        try
        {
            using var stream = File.OpenRead(path);
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (read >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
            return "a zip archive";
        if (read >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5)
            return "a Python pickle";
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension is ".pt" or ".pth" or ".pkl" or ".ckpt" ? "a PyTorch checkpoint" : null;
    }

    /// <summary>The network a model spec describes, its input and output sizes read from the file's tensors where it leaves them out.</summary>
    private static NetworkSpec FromSpec(ModelSpecDocument spec, SafetensorsFile file, string path)
    {
        string outputName = spec.OutputModule ?? spec.Layers.Count.ToString(CultureInfo.InvariantCulture);
        int input = spec.Input ?? InputFromTensors(spec.Layers, outputName, file, path);
        int output = spec.Output ?? (file.TryGet(outputName + ".weight", out var weight) && weight.Shape.Length == 2
            ? weight.Shape[0]
            : throw new GradscopeException($"{path}: no tensor '{outputName}.weight' [out, in] for the model spec's output layer; give \"output\" as {{\"units\": N, \"module\": \"<its path>\"}}."));
        return NetworkSpec.FromLayers(input, spec.Layers, output, spec.OutputModule);
    }

    // The width the first layer with tensors takes: a Linear's weight [out, in], a norm's [n].
    private static int InputFromTensors(IReadOnlyList<LayerSpec> layers, string outputName, SafetensorsFile file, string path)
    {
        for (int i = 0; i <= layers.Count; i++)
        {
            var layer = i < layers.Count ? layers[i] : null;
            if (layer is ResidualSpec)
                break;
            int axis = layer switch { null or DenseSpec or RecurrentSpec => 1, NormSpec => 0, _ => -1 };
            if (axis < 0)
                continue;
            string name = (layer is null ? outputName : layer.Module ?? i.ToString(CultureInfo.InvariantCulture)) + (layer is RecurrentSpec ? ".weight_ih_l0" : ".weight");
            if (file.TryGet(name, out var weight) && weight.Shape.Length == axis + 1)
                return weight.Shape[axis];
            throw new GradscopeException($"{path}: no tensor '{name}' of rank {axis + 1} for the model spec's first layer; give \"input\" in the spec, or the layer's \"module\".");
        }

        throw new GradscopeException($"{path}: the model spec does not say how many inputs the network takes; give \"input\" in the spec.");
    }
}
