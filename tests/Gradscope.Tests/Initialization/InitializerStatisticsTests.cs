using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Initialization;
using Gradscope.Tensors;

namespace Gradscope.Tests.Initialization;

public class InitializerStatisticsTests
{
    // Expected standard deviation for a [rows = fan_out, cols = fan_in] weight. Uniform rules have
    // std = bound / sqrt(3); an orthogonal matrix's entries have mean square 1 / max(rows, cols).
    public static TheoryData<string, int, int, double> Cases => new()
    {
        { "standard", 512, 512, 1 / Math.Sqrt(3 * 512.0) },
        { "normal:0.05", 512, 512, 0.05 },
        { "uniform:0.05", 512, 512, 0.05 },
        { "glorot-normal", 512, 512, Math.Sqrt(2 / 1024.0) },
        { "glorot-uniform", 512, 512, Math.Sqrt(2 / 1024.0) },
        { "he-normal", 512, 512, Math.Sqrt(2 / 512.0) },
        { "he-uniform", 512, 512, Math.Sqrt(2 / 512.0) },
        { "lecun-normal", 512, 512, 1 / Math.Sqrt(512.0) },
        { "lecun-uniform", 512, 512, 1 / Math.Sqrt(512.0) },
        { "orthogonal", 512, 512, 1 / Math.Sqrt(512.0) },
        { "standard", 256, 1024, 1 / Math.Sqrt(3 * 1024.0) },
        { "glorot-normal", 256, 1024, Math.Sqrt(2 / 1280.0) },
        { "glorot-uniform", 1024, 256, Math.Sqrt(2 / 1280.0) },
        { "he-normal", 256, 1024, Math.Sqrt(2 / 1024.0) },
        { "he-normal-fan-out", 256, 1024, Math.Sqrt(2 / 256.0) },
        { "he-uniform-fan-out", 1024, 256, Math.Sqrt(2 / 1024.0) },
        { "lecun-uniform", 1024, 256, 1 / Math.Sqrt(256.0) },
        { "orthogonal", 256, 1024, 1 / Math.Sqrt(1024.0) },
        { "orthogonal", 1024, 256, 1 / Math.Sqrt(1024.0) },
        { "he-normal:gain=3", 512, 512, 3 / Math.Sqrt(512.0) },
        { "normal:0.05:gain=4", 512, 512, 0.2 },
        { "orthogonal:gain=2", 512, 512, 2 / Math.Sqrt(512.0) },
    };

    // 262144 samples: the sample std is within 0.2% of the true one (one sigma); 2% leaves room.
    [Theory]
    [MemberData(nameof(Cases))]
    public void Initialize_HasExpectedStandardDeviation(string spec, int rows, int cols, double expectedStd)
    {
        var weight = new Matrix<double>(rows, cols);
        Initializer.Parse(spec).Initialize(weight, new SeededRandom(11));
        (double mean, double std) = MeanAndStd(weight.Span);

        Assert.InRange(std / expectedStd, 0.98, 1.02);
        Assert.InRange(Math.Abs(mean), 0, 0.02 * expectedStd);
    }

    // Bound a for a weight [128 out, 256 in] (fan_in 256, fan_out 128).
    public static TheoryData<string, double> Bounds => new()
    {
        { "standard", 1 / Math.Sqrt(256.0) },
        { "uniform:0.05", 0.05 * Math.Sqrt(3.0) },
        { "glorot-uniform", Math.Sqrt(6 / 384.0) },
        { "he-uniform", Math.Sqrt(2.0) * Math.Sqrt(3 / 256.0) },
        { "he-uniform-fan-out", Math.Sqrt(2.0) * Math.Sqrt(3 / 128.0) },
        { "lecun-uniform", Math.Sqrt(3 / 256.0) },
        { "glorot-uniform:gain=5", 5 * Math.Sqrt(6 / 384.0) },
    };

    // Draws fill the range: all |w| <= a (a rounded to T) and the largest within 1% of a.
    [Theory]
    [MemberData(nameof(Bounds))]
    public void Initialize_UniformStaysWithinBound(string spec, double bound)
    {
        CheckBound<double>(spec, bound);
        CheckBound<float>(spec, bound);
    }

    [Fact]
    public void InitializeBias_SetsBiasValue()
    {
        var bias = new Matrix<float>(1, 5);
        Initializer.Parse("he-normal:bias=-1").InitializeBias(bias);
        Assert.Equal([-1f, -1f, -1f, -1f, -1f], bias.Span.ToArray());

        new HeNormal().InitializeBias(bias);
        Assert.Equal(0f, bias[0, 4]);
    }

    private static void CheckBound<T>(string spec, double bound)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var weight = new Matrix<T>(128, 256);
        Initializer.Parse(spec).Initialize(weight, new SeededRandom(5));
        T largest = T.Abs(weight.Span[TensorPrimitives.IndexOfMaxMagnitude<T>(weight.Span)]);
        Assert.InRange(double.CreateTruncating(largest), 0.99 * bound, double.CreateTruncating(T.CreateTruncating(bound)));
    }

    private static (double Mean, double Std) MeanAndStd(ReadOnlySpan<double> values)
    {
        double sum = 0, sumOfSquares = 0;
        foreach (double value in values)
        {
            sum += value;
            sumOfSquares += value * value;
        }

        double mean = sum / values.Length;
        return (mean, Math.Sqrt((sumOfSquares / values.Length) - (mean * mean)));
    }
}
