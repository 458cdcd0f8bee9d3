using System.Numerics;
using Gradscope.Activations;
using Gradscope.Tensors;

namespace Gradscope.Tests.Tensors;

/// <summary>
/// Every sum and sum of squares the monitor reports, fused or not, against a naive loop that widens
/// each value to double, squares and adds in index order: every length from 0 to three vector
/// widths plus one, SIMD and scalar, float and double, with ordinary values, huge finite ones
/// (floats whose squares overflow float; doubles whose squares overflow double), NaN and both
/// infinities.
/// </summary>
public sealed class DoubleLaneReductionsTests
{
    public static TheoryData<string> Kinds() => ["gaussian", "huge", "large", "nan", "+inf", "-inf"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Reductions_MatchTheNaiveDoubleLoop_Float(string kind) => CheckAll<float>(kind);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Reductions_MatchTheNaiveDoubleLoop_Double(string kind) => CheckAll<double>(kind);

    // The float square of 1e20 is infinity; the reported sum must be n * 1e40.
    [Fact]
    public void SumOfSquares_OfHugeFiniteFloats_IsFinite()
    {
        foreach (bool simd in new[] { true, false })
        {
            for (int n = 1; n <= (3 * Vector<float>.Count) + 1; n++)
            {
                var values = Enumerable.Repeat(1e20f, n).ToArray();
                double expected = n * (double)1e20f * 1e20f;
                double squares = WithSimd(simd, () => Reductions.SumOfSquares<float>(values));
                Assert.Equal(expected, squares, expected * 1e-14);
                Assert.True(Reductions.AllFinite<float>(values, squares));
            }
        }
    }

    [Fact]
    public void AllFinite_TestsTheValues_WhenTheSumOfSquaresOverflowed()
    {
        double[] huge = [1e200, -3e300, 2];
        Assert.True(double.IsInfinity(Reductions.SumOfSquares<double>(huge)));
        Assert.True(Reductions.AllFinite<double>(huge, Reductions.SumOfSquares<double>(huge)));
        Assert.True(Reductions.AllFinite<double>(huge));
        Assert.False(Reductions.AllFinite<double>([1, double.NaN], double.PositiveInfinity));
        Assert.False(Reductions.AllFinite<float>([float.NegativeInfinity]));
        Assert.True(Reductions.AllFinite<float>([]));
    }

    private static void CheckAll<T>(string kind)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int limit = (3 * Vector<T>.Count) + 1;
        foreach (bool simd in new[] { true, false })
        {
            for (int n = 0; n <= limit; n++)
            {
                var a = Values<T>(n, kind, seed: n);
                var b = Values<T>(n, "gaussian", seed: n + 100);
                string at = $"{typeof(T).Name} {kind} n={n} simd={simd}";
                WithSimd(simd, () => CheckSums(a, b, at));
                WithSimd(simd, () => CheckActivationPasses(a, b, at));
            }
        }
    }

    private static bool CheckSums<T>(T[] a, T[] b, string at)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (sum, squares) = Reductions.SumAndSquares<T>(a);
        AssertNear(NaiveSum(a), sum, Magnitude(a), $"sum, {at}");
        AssertNear(NaiveSquares(a), squares, NaiveSquares(a), $"squares, {at}");
        Assert.Equal(squares, Reductions.SumOfSquares<T>(a)); // one definition, to the bit

        var written = new T[a.Length];
        double addSquares = Reductions.AddWithSquares<T>(a, b, written);
        for (int i = 0; i < a.Length; i++)
            Assert.Equal(a[i] + b[i], written[i]);
        AssertNear(NaiveSquares(written), addSquares, NaiveSquares(written), $"add with squares, {at}");

        var (squaresA, squaresB, distance) = Reductions.SquaresAndDistance<T>(a, b);
        double naiveDistance = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = double.CreateTruncating(a[i]) - double.CreateTruncating(b[i]);
            naiveDistance += d * d;
        }

        AssertNear(NaiveSquares(a), squaresA, NaiveSquares(a), $"squares of a beside distance, {at}");
        AssertNear(NaiveSquares(b), squaresB, NaiveSquares(b), $"squares of b beside distance, {at}");
        AssertNear(naiveDistance, distance, naiveDistance, $"distance, {at}");
        Assert.Equal(distance, Reductions.SquaredDistance<T>(a, b));
        return true;
    }

    // The activation's passes: y = a as the output (one row of a.Length units), b as the incoming
    // gradient; the identity's derivative is 1, so the delta is b. Reshaped as rows of one vector
    // when the length allows, so the fused whole-vector loops run too.
    private static bool CheckActivationPasses<T>(T[] a, T[] b, string at)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        foreach (int cols in a.Length % width == 0 && a.Length > 0 ? new[] { a.Length, width } : new[] { Math.Max(1, a.Length) })
        {
            var stats = Reductions.CountBelow<T, Identity>(a, a, cols, T.Zero, new T[cols]);
            AssertNear(NaiveSum(a), stats.Sum, Magnitude(a), $"saturation sum, cols {cols}, {at}");
            AssertNear(NaiveSquares(a), stats.SumOfSquares, NaiveSquares(a), $"saturation squares, cols {cols}, {at}");

            double deltaSquares = Elementwise.BackpropSumOfSquares<T, Identity>(a, a, b, new T[a.Length]);
            AssertNear(NaiveSquares(b), deltaSquares, NaiveSquares(b), $"backprop squares, {at}");

            double fusedSquares = BackpropWithSaturation.Run<T, Identity>(a, a, b, new T[a.Length], cols, T.Zero, new T[cols], out var fused);
            AssertNear(NaiveSquares(b), fusedSquares, NaiveSquares(b), $"fused delta squares, cols {cols}, {at}");
            AssertNear(NaiveSum(a), fused.Sum, Magnitude(a), $"fused sum, cols {cols}, {at}");
            AssertNear(NaiveSquares(a), fused.SumOfSquares, NaiveSquares(a), $"fused squares, cols {cols}, {at}");
        }

        return true;
    }

    private static double NaiveSum<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (var v in values)
            sum += double.CreateTruncating(v);
        return sum;
    }

    private static double NaiveSquares<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double squares = 0;
        foreach (var v in values)
        {
            double d = double.CreateTruncating(v);
            squares += d * d;
        }

        return squares;
    }

    private static double Magnitude<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (var v in values)
            sum += Math.Abs(double.CreateTruncating(v));
        return sum;
    }

    // Non-finite results must be the same non-finite value; finite ones equal to double rounding.
    private static void AssertNear(double expected, double actual, double scale, string what)
    {
        if (!double.IsFinite(expected))
        {
            Assert.True(expected.Equals(actual), $"{what}: {actual} instead of {expected}");
            return;
        }

        Assert.True(Math.Abs(expected - actual) <= 1e-13 * scale, $"{what}: {actual} vs {expected}");
    }

    // huge: floats of 1e19.5..1e38.5 (squares overflow float), doubles of 1e155..1e200 (squares
    // overflow double); large: floats of 1e10..1e19, doubles of 1e100..1e150. Signs alternate
    // at random; nan and the infinities replace one element of Gaussian values.
    private static T[] Values<T>(int n, string kind, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new SeededRandom(seed + 7);
        bool isFloat = typeof(T) == typeof(float);
        var values = new T[n];
        for (int i = 0; i < n; i++)
        {
            double sign = rng.NextDouble() < 0.5 ? -1 : 1;
            double v = kind switch
            {
                "huge" => sign * Math.Pow(10, isFloat ? rng.NextUniform(19.5, 38.5) : rng.NextUniform(155, 200)),
                "large" => sign * Math.Pow(10, isFloat ? rng.NextUniform(10, 19) : rng.NextUniform(100, 150)),
                _ => rng.NextGaussian(),
            };
            values[i] = T.CreateTruncating(v);
        }

        if (n > 0 && kind is "nan" or "+inf" or "-inf")
            values[seed % n] = kind == "nan" ? T.NaN : kind == "+inf" ? T.PositiveInfinity : T.NegativeInfinity;
        return values;
    }

    private static TResult WithSimd<TResult>(bool simd, Func<TResult> body)
    {
        bool saved = Elementwise.UseSimd;
        Elementwise.UseSimd = simd && Vector.IsHardwareAccelerated;
        try
        {
            return body();
        }
        finally
        {
            Elementwise.UseSimd = saved;
        }
    }
}
