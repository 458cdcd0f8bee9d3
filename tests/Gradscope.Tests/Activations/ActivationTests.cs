using System.Numerics;
using Gradscope.Activations;
using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Tests.Activations;

public sealed class ActivationTests
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var a in Activation.All)
            data.Add(a.Name);
        return data;
    }

    [Fact]
    public void Registry_HoldsEveryActivationStruct()
    {
        var structs = typeof(IActivationFunction).Assembly.GetTypes()
            .Where(t => t.IsValueType && typeof(IActivationFunction).IsAssignableFrom(t))
            .Select(t => (string)t.GetProperty("Name")!.GetValue(null)!)
            .OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(Activation.All.Select(a => a.Name).OrderBy(n => n, StringComparer.Ordinal), structs);
        Assert.Equal(12, Activation.All.Count);
    }

    [Theory]
    [InlineData("identity", 1.5, 1.5)]
    [InlineData("sigmoid", 0.0, 0.5)]
    [InlineData("tanh", 0.5, 0.46211715726000974)]
    [InlineData("hard-tanh", 3.0, 1.0)]
    [InlineData("softsign", 1.0, 0.5)]
    [InlineData("relu", -2.0, 0.0)]
    [InlineData("leaky-relu", -2.0, -0.02)]
    [InlineData("elu", -1.0, -0.6321205588285577)]
    [InlineData("selu", -1.0, -1.1113307378125625)]
    [InlineData("gelu", 1.0, 0.8413447460685429)]
    [InlineData("gelu", -3.0, -0.00404969409489031)]
    [InlineData("silu", 1.0, 0.7310585786300049)]
    [InlineData("softplus", 0.0, 0.6931471805599453)]
    public void Value_MatchesKnownValue(string name, double x, double expected) =>
        Assert.Equal(expected, Activation.Parse(name).Value(x), 14);

    [Theory]
    [MemberData(nameof(Names))]
    public void Derivative_MatchesCentralDifference(string name)
    {
        var a = Activation.Parse(name);
        foreach (double x in new[] { -3.1, -0.7, -0.2, 0.3, 0.9, 2.4 })
        {
            double numeric = (a.Value(x + 1e-6) - a.Value(x - 1e-6)) / 2e-6;
            Assert.True(Math.Abs(numeric - a.Derivative(x)) < 1e-8, $"{name} at {x}: {numeric} vs {a.Derivative(x)}");
        }
    }

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    public void Squashing_AtPlusMinus300_HasExactlyZeroGradientInFloat(string name)
    {
        var layer = Activation.Parse(name).CreateLayer<float>(4);
        var input = new Matrix<float>(1, 4, [300f, -300f, 300f, -300f]);
        var output = layer.Forward(input, training: true);
        var grad = layer.Backward(new Matrix<float>(1, 4, [1f, 1f, 1f, 1f]));
        foreach (float g in grad.Span)
            Assert.Equal(0f, g);
        foreach (float y in output.Span)
            Assert.False(float.IsNaN(y));
        Assert.Equal(1f, output[0, 0]);
    }

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    public void Squashing_AtPlusMinus300_IsFiniteInDouble(string name)
    {
        var a = Activation.Parse(name);
        Assert.Equal(0.0, a.Derivative(300));
        Assert.True(a.Derivative(-300) is >= 0 and < 1e-100);
    }

    [Theory]
    [InlineData("sigmoid", 0.0, false)]
    [InlineData("sigmoid", 6.0, true)]
    [InlineData("tanh", 3.0, true)]
    [InlineData("tanh", 1.0, false)]
    [InlineData("relu", -0.5, true)]
    [InlineData("relu", 0.5, false)]
    [InlineData("leaky-relu", -5.0, false)]
    [InlineData("identity", -100.0, false)]
    public void IsSaturated_FollowsOnePercentRule(string name, double x, bool expected) =>
        Assert.Equal(expected, Activation.Parse(name).IsSaturated(x));

    [Theory]
    [MemberData(nameof(Names))]
    public void Simd_MatchesScalar_ForEveryTailLength_Float(string name) => CompareSimdWithScalar<float>(name, 2e-6);

    [Theory]
    [MemberData(nameof(Names))]
    public void Simd_MatchesScalar_ForEveryTailLength_Double(string name) => CompareSimdWithScalar<double>(name, 1e-13);

    private static void CompareSimdWithScalar<T>(string name, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = Activation.Parse(name);
        int maxLength = (3 * Vector<T>.Count) + 1;
        var rng = new SeededRandom(3);
        for (int n = 0; n <= maxLength; n++)
        {
            var x = new T[n];
            for (int i = 0; i < n; i++)
                x[i] = T.CreateTruncating(rng.NextGaussian(0, 3));
            var (ySimd, gSimd) = Run<T>(a, x, simd: true);
            var (yScalar, gScalar) = Run<T>(a, x, simd: false);
            for (int i = 0; i < n; i++)
            {
                AssertClose(yScalar[i], ySimd[i], tolerance, $"{name} value, length {n}, index {i}");
                AssertClose(gScalar[i], gSimd[i], tolerance, $"{name} gradient, length {n}, index {i}");
            }
        }
    }

    private static (T[] Y, T[] G) Run<T>(Activation a, T[] x, bool simd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool saved = Elementwise.UseSimd;
        try
        {
            Elementwise.UseSimd = simd && Vector.IsHardwareAccelerated;
            var layer = a.CreateLayer<T>(Math.Max(x.Length, 1));
            var input = new Matrix<T>(x.Length == 0 ? 0 : 1, Math.Max(x.Length, 1), x.Length == 0 ? new T[1] : x);
            var y = layer.Forward(input, training: true).Span.ToArray();
            var ones = new T[Math.Max(x.Length, 1)];
            Array.Fill(ones, T.One);
            var g = layer.Backward(new Matrix<T>(input.Rows, input.Cols, ones)).Span.ToArray();

            // Scalar reference straight from the struct's scalar functions when SIMD is off.
            if (!simd)
            {
                for (int i = 0; i < x.Length; i++)
                {
                    y[i] = T.CreateTruncating(a.Value(double.CreateTruncating(x[i])));
                    g[i] = T.CreateTruncating(a.Derivative(double.CreateTruncating(x[i])));
                }
            }

            return (y, g);
        }
        finally
        {
            Elementwise.UseSimd = saved;
        }
    }

    private static void AssertClose<T>(T expected, T actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double e = double.CreateTruncating(expected);
        double v = double.CreateTruncating(actual);
        Assert.True(Math.Abs(e - v) <= tolerance * Math.Max(1.0, Math.Abs(e)), $"{what}: expected {e}, got {v}");
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("leaky-relu")]
    [InlineData("elu")]
    [InlineData("selu")]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    public void NaN_Propagates_ScalarAndSimd(string name)
    {
        var layer = Activation.Parse(name).CreateLayer<float>(9);
        var input = new Matrix<float>(1, 9);
        input.Span.Fill(1f);
        input[0, 0] = float.NaN;
        input[0, 8] = float.NaN;
        var output = layer.Forward(input, training: true);
        Assert.True(float.IsNaN(output[0, 0]), "SIMD lane");
        Assert.True(float.IsNaN(output[0, 8]), "scalar tail");
    }

    [Theory]
    [InlineData("Swish", "silu")]
    [InlineData("LINEAR", "identity")]
    [InlineData("leaky_relu", "leaky-relu")]
    [InlineData("hardtanh", "hard-tanh")]
    public void Parse_AcceptsAliases(string alias, string canonical) =>
        Assert.Equal(canonical, Activation.Parse(alias).Name);

    [Fact]
    public void Parse_UnknownName_ListsValidNames()
    {
        var ex = Assert.Throws<GradscopeException>(() => Activation.Parse("sigmoidd"));
        Assert.Contains("Unknown activation 'sigmoidd'", ex.Message);
        Assert.Contains("leaky-relu", ex.Message);
    }

    [Theory]
    [InlineData("relu", 1.4142135623730951)]
    [InlineData("tanh", 1.6666666666666667)]
    [InlineData("sigmoid", 1.0)]
    [InlineData("selu", 0.75)]
    [InlineData("leaky-relu", 1.4141428569978354)]
    public void Gain_MatchesPyTorchCalculateGain(string name, double gain) =>
        Assert.Equal(gain, Activation.Parse(name).Gain, 12);
}
