using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Layers;
using Gradscope.Serialization;
using Gradscope.Serialization.Safetensors;
using Gradscope.Training;

namespace Gradscope.Tests.Serialization.Torch;

/// <summary>
/// Files laid out as PyTorch writes a module <c>rnn = nn.RNN|nn.LSTM|nn.GRU(F, H, batch_first=True)</c>
/// and <c>head = nn.Linear(H, C)</c> reading the last hidden state load with a named model spec, and
/// <c>inspect</c>'s forward and backward pass gives every tensor the gradient that an independent
/// float64 computation gives it: the cells written out here from PyTorch's formulas (gate order
/// i, f, g, o for the LSTM and r, z, n for the GRU), differentiated by central finite differences.
/// </summary>
public sealed class TorchRecurrentGradientTests : IDisposable
{
    private const int Batch = 4, Steps = 5, Features = 3, Hidden = 4, Classes = 3;

    private readonly string _dir = Directory.CreateTempSubdirectory("gradscope-torch-rnn-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("rnn", "tanh")]
    [InlineData("rnn", "relu")]
    [InlineData("lstm", "tanh")]
    [InlineData("gru", "tanh")]
    public void Inspection_OfTorchRecurrentModel_MatchesFiniteDifferencesForEveryTensor(string cell, string activation)
    {
        var tensors = RandomTensors(cell, seed: 21);
        string path = Path.Combine(_dir, cell + ".safetensors");
        var list = new List<SafetensorsTensor>();
        foreach (var (name, (shape, values)) in tensors)
            list.Add(SafetensorsTensor.FromValues<double>(name, shape, values));
        SafetensorsFile.Write(path, list, new Dictionary<string, string> { ["format"] = "pt" });
        string rnnActivation = cell == "rnn" ? $", \"activation\": \"{activation}\"" : string.Empty;
        var spec = ModelSpecJson.Parse($$$"""{"layers": [{"type": "{{{cell}}}", "module": "rnn", "hidden": {{{Hidden}}}, "sequence": "last"{{{rnnActivation}}}}], "output": {"module": "head"}}""");

        var loaded = ModelFile.Load<double>(path, spec: spec).WithSteps(Steps);
        var data = Data();
        var result = Inspection.Run(loaded.Network, data);

        var reference = new Reference(cell, activation, tensors, data);
        Assert.Equal(reference.Loss(), result.Loss, 1e-10);
        var names = new List<string>();
        foreach (var leaf in LayerTree.Leaves(loaded.Network))
        {
            foreach (var p in leaf.Layer.Parameters)
            {
                string name = ModulePath.Join(leaf.Path, p.Name);
                names.Add(name);
                var expected = reference.Gradient(name);
                var actual = p.Grad.Span;
                Assert.Equal(expected.Length, actual.Length);
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i])), $"{cell} {name}[{i}]: expected {expected[i]}, got {actual[i]}");
            }
        }

        Assert.Equal(["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "head.weight", "head.bias"], names);
    }

    [Fact]
    public void Load_WrongRecurrentTensorShape_NamesTheTensor()
    {
        var tensors = RandomTensors("lstm", seed: 3);
        tensors["rnn.weight_hh_l0"] = ([4 * Hidden, Hidden + 1], new double[4 * Hidden * (Hidden + 1)]);
        string path = Path.Combine(_dir, "bad.safetensors");
        var list = new List<SafetensorsTensor>();
        foreach (var (name, (shape, values)) in tensors)
            list.Add(SafetensorsTensor.FromValues<double>(name, shape, values));
        SafetensorsFile.Write(path, list, new Dictionary<string, string> { ["format"] = "pt" });
        var spec = ModelSpecJson.Parse($$$"""{"layers": [{"type": "lstm", "module": "rnn", "hidden": {{{Hidden}}}}], "output": {"module": "head"}}""");

        var ex = Assert.Throws<GradscopeException>(() => ModelFile.Load<double>(path, spec: spec));
        Assert.Contains("'rnn.weight_hh_l0' has shape [16, 5]", ex.Message);
        Assert.Contains("[16, 4]", ex.Message);
    }

    private static Dictionary<string, (int[] Shape, double[] Values)> RandomTensors(string cell, int seed)
    {
        int gates = cell switch { "lstm" => 4, "gru" => 3, _ => 1 };
        var rng = new SeededRandom(seed);
        (int[], double[]) Draw(params int[] shape)
        {
            var values = new double[shape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < values.Length; i++)
                values[i] = rng.NextUniform(-0.8, 0.8);
            return (shape, values);
        }

        return new Dictionary<string, (int[], double[])>
        {
            ["rnn.weight_ih_l0"] = Draw(gates * Hidden, Features),
            ["rnn.weight_hh_l0"] = Draw(gates * Hidden, Hidden),
            ["rnn.bias_ih_l0"] = Draw(gates * Hidden),
            ["rnn.bias_hh_l0"] = Draw(gates * Hidden),
            ["head.weight"] = Draw(Classes, Hidden),
            ["head.bias"] = Draw(Classes),
        };
    }

    private static Dataset Data()
    {
        var rng = new SeededRandom(5);
        var x = new double[Batch * Steps * Features];
        for (int i = 0; i < x.Length; i++)
            x[i] = rng.NextGaussian();
        int[] labels = [0, 2, 1, 2];
        return new Dataset("seq", x, labels, Steps * Features, Classes) { Sequence = new SequenceShape(Steps, Features) };
    }

    /// <summary>The model in plain float64 loops over the tensors by name, and its loss's finite differences.</summary>
    private sealed class Reference(string cell, string activation, Dictionary<string, (int[] Shape, double[] Values)> tensors, Dataset data)
    {
        private const double Step = 1e-6;

        public double[] Gradient(string name)
        {
            var values = tensors[name].Values;
            var grad = new double[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                double saved = values[i];
                values[i] = saved + Step;
                double plus = Loss();
                values[i] = saved - Step;
                double minus = Loss();
                values[i] = saved;
                grad[i] = (plus - minus) / (2 * Step);
            }

            return grad;
        }

        // Mean softmax cross-entropy of head(h_T) over the batch.
        public double Loss()
        {
            double total = 0;
            for (int b = 0; b < Batch; b++)
            {
                var h = LastHidden(b);
                var w = tensors["head.weight"].Values;
                var bias = tensors["head.bias"].Values;
                var logits = new double[Classes];
                for (int c = 0; c < Classes; c++)
                {
                    logits[c] = bias[c];
                    for (int j = 0; j < Hidden; j++)
                        logits[c] += w[(c * Hidden) + j] * h[j];
                }

                double max = logits.Max(), sum = logits.Sum(l => Math.Exp(l - max));
                total -= logits[data.Labels[b]] - max - Math.Log(sum);
            }

            return total / Batch;
        }

        private double[] LastHidden(int b)
        {
            var h = new double[Hidden];
            var c = new double[Hidden];
            for (int t = 0; t < Steps; t++)
            {
                var x = data.Features.AsSpan(((b * Steps) + t) * Features, Features).ToArray();
                h = cell switch
                {
                    "lstm" => LstmStep(x, h, c),
                    "gru" => GruStep(x, h),
                    _ => RnnStep(x, h),
                };
            }

            return h;
        }

        // Row g of W_ih x + b_ih and of W_hh h + b_hh.
        private (double Input, double Recurrent) Affine(int row, double[] x, double[] h)
        {
            var wih = tensors["rnn.weight_ih_l0"].Values;
            var whh = tensors["rnn.weight_hh_l0"].Values;
            double a = tensors["rnn.bias_ih_l0"].Values[row], r = tensors["rnn.bias_hh_l0"].Values[row];
            for (int k = 0; k < Features; k++)
                a += wih[(row * Features) + k] * x[k];
            for (int k = 0; k < Hidden; k++)
                r += whh[(row * Hidden) + k] * h[k];
            return (a, r);
        }

        private double[] RnnStep(double[] x, double[] h)
        {
            var next = new double[Hidden];
            for (int j = 0; j < Hidden; j++)
            {
                var (a, r) = Affine(j, x, h);
                next[j] = activation == "relu" ? Math.Max(0, a + r) : Math.Tanh(a + r);
            }

            return next;
        }

        private double[] LstmStep(double[] x, double[] h, double[] c)
        {
            var next = new double[Hidden];
            for (int j = 0; j < Hidden; j++)
            {
                double i = Sigmoid(Sum(Affine(j, x, h))), f = Sigmoid(Sum(Affine(Hidden + j, x, h)));
                double g = Math.Tanh(Sum(Affine((2 * Hidden) + j, x, h))), o = Sigmoid(Sum(Affine((3 * Hidden) + j, x, h)));
                c[j] = (f * c[j]) + (i * g);
                next[j] = o * Math.Tanh(c[j]);
            }

            return next;
        }

        private double[] GruStep(double[] x, double[] h)
        {
            var next = new double[Hidden];
            for (int j = 0; j < Hidden; j++)
            {
                double r = Sigmoid(Sum(Affine(j, x, h))), z = Sigmoid(Sum(Affine(Hidden + j, x, h)));
                var (ni, nh) = Affine((2 * Hidden) + j, x, h);
                double n = Math.Tanh(ni + (r * nh));
                next[j] = ((1 - z) * n) + (z * h[j]);
            }

            return next;
        }

        private static double Sum((double Input, double Recurrent) a) => a.Input + a.Recurrent;

        private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
    }
}
