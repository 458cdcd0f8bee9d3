using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using static TorchSharp.torch;

namespace TorchSharpStep;

/// <summary>
/// Loads an nn.Sequential of Linear layers from a safetensors file (float32; names 0.weight,
/// 0.bias, 2.weight, ...), runs one forward and backward pass of the mean softmax cross-entropy
/// over a CSV batch (header row, label last) and reports the loss and each weight's gradient norm,
/// so the peers and Gradscope can be checked against each other on the same weights.
/// </summary>
internal static class LossCheck
{
    public static (double Loss, List<(string Name, double GradNorm)> Layers) Run(string modelPath, string dataPath, string activation)
    {
        var tensors = ReadSafetensors(modelPath);
        var (x, y) = ReadCsv(dataPath);
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var linears = new List<(string Name, TorchSharp.Modules.Linear Linear)>();
        for (int index = 0; tensors.ContainsKey($"{index}.weight"); index += 2)
        {
            if (index > 0)
                modules.Add(($"{index - 1}", Network.Activation(activation)));
            var weight = tensors[$"{index}.weight"];
            var linear = nn.Linear(weight.shape[1], weight.shape[0]);
            using (no_grad())
            {
                linear.weight!.copy_(weight);
                linear.bias!.copy_(tensors[$"{index}.bias"]);
            }

            modules.Add(($"{index}", linear));
            linears.Add(($"{index}", linear));
        }

        var model = nn.Sequential(modules);
        using var loss = nn.functional.cross_entropy(model.forward(x), y);
        loss.backward();
        var layers = new List<(string, double)>();
        foreach (var (name, linear) in linears)
            layers.Add((name, linear.weight!.grad!.norm().item<float>()));
        return (loss.item<float>(), layers);
    }

    // Format: 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}}, then raw data.
    private static Dictionary<string, Tensor> ReadSafetensors(string path)
    {
        var bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var result = new Dictionary<string, Tensor>();
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
                continue;
            string dtype = entry.Value.GetProperty("dtype").GetString()!;
            if (dtype != "F32")
                throw new InvalidDataException($"{path}: tensor '{entry.Name}' is {dtype}; this check reads F32 only.");
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            int start = 8 + (int)headerLength + (int)offsets[0];
            var values = new float[(offsets[1] - offsets[0]) / sizeof(float)];
            Buffer.BlockCopy(bytes, start, values, 0, values.Length * sizeof(float));
            result[entry.Name] = tensor(values, shape);
        }

        return result;
    }

    private static (Tensor X, Tensor Y) ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).ToArray();
        int columns = lines[0].Split(',').Length;
        var features = new float[lines.Length * (columns - 1)];
        var labels = new long[lines.Length];
        for (int row = 0; row < lines.Length; row++)
        {
            var cells = lines[row].Split(',');
            for (int column = 0; column < columns - 1; column++)
                features[(row * (columns - 1)) + column] = float.Parse(cells[column], CultureInfo.InvariantCulture);
            labels[row] = long.Parse(cells[^1], CultureInfo.InvariantCulture);
        }

        return (tensor(features, [lines.Length, columns - 1]), tensor(labels));
    }
}
