using Gradscope.Activations;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Serialization;
using Gradscope.Serialization.Safetensors;
using Gradscope.Training;

namespace Gradscope.Tests.Serialization;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SaveThenLoad_RestoresArchitectureWeightsAndStandardization()
    {
        var spec = new NetworkSpec(3, [5, 4], 2, Activation.Parse("gelu"));
        var network = spec.Build<float>(Initializer.Parse("he-normal"), new SeededRandom(3));
        var standardizer = new Standardizer([1.0, 2.0, 3.0], [0.5, 1.5, 2.5]);
        string path = Path.Combine(_dir, "m.safetensors");
        ModelFile.Save(path, spec, network, standardizer);

        var loaded = ModelFile.Load<float>(path);
        Assert.Equal("3-5-4-2 gelu", loaded.Spec.Describe());
        for (int p = 0; p < network.Parameters.Count; p++)
            Assert.True(network.Parameters[p].Value.Span.SequenceEqual(loaded.Network.Parameters[p].Value.Span));
        Assert.Equal([1.0, 2.0, 3.0], loaded.Standardizer!.Means);
        var file = SafetensorsFile.Read(path);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"], file.Tensors.Select(t => t.Name));
        Assert.Equal([5, 3], file["0.weight"].Shape);
        Assert.Equal([5], file["0.bias"].Shape);
    }

    [Fact]
    public void LoadFromBytes_RestoresWhatWasSaved_AndNamesTheSourceInErrors()
    {
        var spec = new NetworkSpec(2, [4, 3], 3, Activation.Parse("tanh"));
        var network = spec.Build<float>(Initializer.Parse("glorot-uniform"), new SeededRandom(5));
        var buffer = new MemoryStream();
        ModelFile.Save(buffer, "m.safetensors", spec, network, new Standardizer([0.5, -1.0], [2.0, 3.0]));

        var loaded = ModelFile.Load<double>(buffer.ToArray(), "run X's model");
        Assert.Equal("2-4-3-3 tanh", loaded.Spec.Describe());
        for (int p = 0; p < network.Parameters.Count; p++)
            Assert.Equal(network.Parameters[p].Value.Span.ToArray().Select(v => (double)v), loaded.Network.Parameters[p].Value.Span.ToArray());
        Assert.Equal([0.5, -1.0], loaded.Standardizer!.Means);
        var ex = Assert.Throws<GradscopeException>(() => ModelFile.Load<double>(new byte[] { 1, 2, 3 }, "run X's model"));
        Assert.Contains("run X's model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveToStream_Interrupted_IsMarked_AndStillLoads()
    {
        var spec = new NetworkSpec(2, [3], 2, Activation.Parse("tanh"));
        var network = spec.Build<double>(Initializer.Parse("glorot-uniform"), new SeededRandom(1));
        var interrupted = new MemoryStream();
        var completed = new MemoryStream();
        ModelFile.Save(interrupted, "m.safetensors", spec, network, null, interrupted: true);
        ModelFile.Save(completed, "m.safetensors", spec, network);

        Assert.Equal("true", SafetensorsFile.Read(interrupted.ToArray(), "m").Metadata[ModelFile.InterruptedKey]);
        Assert.False(SafetensorsFile.Read(completed.ToArray(), "m").Metadata.ContainsKey(ModelFile.InterruptedKey));
        string path = Path.Combine(_dir, "m.safetensors");
        File.WriteAllBytes(path, interrupted.ToArray());
        Assert.Equal("2-3-2 tanh", ModelFile.Load<double>(path).Spec.Describe());
    }

    [Fact]
    public void PyTorchFileWithoutMetadata_NeedsActivation()
    {
        string path = WritePyTorchLayout();
        var ex = Assert.Throws<GradscopeException>(() => ModelFile.Load<double>(path));
        Assert.Contains("name it with --activation", ex.Message);
        var loaded = ModelFile.Load<double>(path, Activation.Parse("tanh"));
        Assert.Equal("2-4-3 tanh", loaded.Spec.Describe());
    }

    [Fact]
    public void ChainMismatch_IsReportedWithLayerNames()
    {
        string path = Path.Combine(_dir, "bad.safetensors");
        SafetensorsFile.Write(path, [Tensor("0.weight", [4, 2]), Tensor("2.weight", [3, 5])], null);
        var ex = Assert.Throws<GradscopeException>(() => ModelFile.Load<float>(path, Activation.Parse("relu")));
        Assert.Contains("layer '0' outputs 4 features but layer '2' takes 5", ex.Message);
    }

    [Fact]
    public void NonSequentialNames_AreRejected()
    {
        string path = Path.Combine(_dir, "conv.safetensors");
        SafetensorsFile.Write(path, [Tensor("conv1.weight", [4, 2])], null);
        var ex = Assert.Throws<GradscopeException>(() => ModelFile.Load<float>(path, Activation.Parse("relu")));
        Assert.Contains("'conv1.weight' is not named like an nn.Sequential entry", ex.Message);
    }

    /// <summary>
    /// The inspect computation against an independent one: a file laid out as PyTorch's
    /// nn.Sequential(Linear(2, 4), Tanh(), Linear(4, 3)).state_dict() would be, and the loss and
    /// gradients computed here by hand with plain loops in double.
    /// </summary>
    [Fact]
    public void Inspection_OfPyTorchLayout_MatchesHandComputedGradients()
    {
        string path = WritePyTorchLayout();
        var loaded = ModelFile.Load<double>(path, Activation.Parse("tanh"));
        var file = SafetensorsFile.Read(path);
        double[] x = [0.5, -1.0, 1.5, 0.25, -0.75, 2.0, 0.0, -0.5, 1.0, 1.0];
        int[] labels = [0, 2, 1, 2, 0];
        var data = new Dataset("hand", x, labels, 2, 3);
        var result = Inspection.Run(loaded.Network, data);
        var expected = HandComputed(file, x, labels);
        Assert.Equal(expected.Loss, result.Loss, 12);
        Assert.Equal(expected.GradNorm0, result.Layers[0].GradNorm, 12);
        Assert.Equal(expected.BiasGradNorm0, result.Layers[0].BiasGradNorm, 12);
        Assert.Equal(expected.GradNorm2, result.Layers[1].GradNorm, 12);
        Assert.Equal(expected.DeltaRms0, result.Layers[0].DeltaRms, 12);
        Assert.Equal(["0", "2"], result.Layers.Select(l => l.Name));
    }

    private static (double Loss, double GradNorm0, double BiasGradNorm0, double GradNorm2, double DeltaRms0) HandComputed(SafetensorsFile file, double[] x, int[] labels)
    {
        double[] w1 = file["0.weight"].Values, b1 = file["0.bias"].Values, w2 = file["2.weight"].Values, b2 = file["2.bias"].Values;
        int n = labels.Length;
        var gw1 = new double[8];
        var gb1 = new double[4];
        var gw2 = new double[12];
        double loss = 0, delta1Squares = 0;
        for (int r = 0; r < n; r++)
        {
            // Forward: z1 = W1 x + b1, a1 = tanh(z1), z2 = W2 a1 + b2, p = softmax(z2).
            var a1 = new double[4];
            for (int j = 0; j < 4; j++)
                a1[j] = Math.Tanh((w1[(j * 2) + 0] * x[(r * 2) + 0]) + (w1[(j * 2) + 1] * x[(r * 2) + 1]) + b1[j]);
            var z2 = new double[3];
            for (int k = 0; k < 3; k++)
            {
                z2[k] = b2[k];
                for (int j = 0; j < 4; j++)
                    z2[k] += w2[(k * 4) + j] * a1[j];
            }

            double max = z2.Max(), sum = z2.Sum(z => Math.Exp(z - max));
            loss += -(z2[labels[r]] - max - Math.Log(sum)) / n;

            // Backward: dz2 = (p - onehot) / n; dW2 += dz2 a1^T; da1 = W2^T dz2; dz1 = da1 (1 - a1^2); dW1 += dz1 x^T.
            var dz2 = new double[3];
            for (int k = 0; k < 3; k++)
                dz2[k] = ((Math.Exp(z2[k] - max) / sum) - (k == labels[r] ? 1 : 0)) / n;
            for (int k = 0; k < 3; k++)
            {
                for (int j = 0; j < 4; j++)
                    gw2[(k * 4) + j] += dz2[k] * a1[j];
            }

            for (int j = 0; j < 4; j++)
            {
                double da1 = 0;
                for (int k = 0; k < 3; k++)
                    da1 += w2[(k * 4) + j] * dz2[k];
                double dz1 = da1 * (1 - (a1[j] * a1[j]));
                delta1Squares += dz1 * dz1;
                gb1[j] += dz1;
                gw1[(j * 2) + 0] += dz1 * x[(r * 2) + 0];
                gw1[(j * 2) + 1] += dz1 * x[(r * 2) + 1];
            }
        }

        static double Norm(double[] v) => Math.Sqrt(v.Sum(e => e * e));
        return (loss, Norm(gw1), Norm(gb1), Norm(gw2), Math.Sqrt(delta1Squares / (n * 4)));
    }

    private string WritePyTorchLayout()
    {
        string path = Path.Combine(_dir, "torch.safetensors");
        var rng = new SeededRandom(5);
        SafetensorsTensor Random(string name, int[] shape)
        {
            var values = new double[shape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < values.Length; i++)
                values[i] = (float)rng.NextGaussian(0, 0.8); // F32 values, as torch.float32 stores them
            return new SafetensorsTensor(name, "F32", shape, values);
        }

        SafetensorsFile.Write(path, [Random("0.weight", [4, 2]), Random("0.bias", [4]), Random("2.weight", [3, 4]), Random("2.bias", [3])], new Dictionary<string, string> { ["format"] = "pt" });
        return path;
    }

    private static SafetensorsTensor Tensor(string name, int[] shape) =>
        new(name, "F32", shape, new double[shape.Aggregate(1, (a, b) => a * b)]);
}
