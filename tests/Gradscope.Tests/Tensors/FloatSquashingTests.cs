using Gradscope.Tensors;

namespace Gradscope.Tests.Tensors;

/// <summary>
/// The float sigmoid and tanh kernels against double-precision references, over a dense sweep of
/// the range where the functions are not saturated and at the special values.
/// </summary>
public sealed class FloatSquashingTests
{
    private static readonly float[] Specials =
    [
        0f, -0f, 1e-30f, -1e-30f, 1e-7f, -1e-7f, 0.6249f, 0.625f, -0.625f, 1f, -1f, 9f, -9f, 16.7f, -16.7f,
        87.3f, -87.3f, 88.3f, -88.3f, 88.4f, -88.4f, 89f, -89f, 104f, -104f, 300f, -300f,
        float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon,
    ];

    [Fact]
    public void Sigmoid_IsWithinFourUlp_AndSaturatesExactly()
    {
        if (!FloatSquashing.IsSupported)
            return; // CI's run without intrinsics: the activations use the BCL there (ActivationTests)
        var x = Sweep(-90f, 90f);
        var y = new float[x.Length];
        FloatSquashing.Sigmoid(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double exact = 1.0 / (1.0 + Math.Exp(-(double)x[i]));
            // Below float's normal range the kernel flushes to 0 (documented); elsewhere ulp-close.
            if (exact < 1.2e-38)
                Assert.True(y[i] >= 0 && y[i] < 1.2e-38, $"sigmoid({x[i]}) = {y[i]}");
            else
                AssertUlps(exact, y[i], 4, $"sigmoid({x[i]})");
        }

        Assert.Equal([0f, 1f, 0f, 1f, 0.5f], Apply(FloatSquashing.Sigmoid, [-300f, 300f, float.NegativeInfinity, float.PositiveInfinity, 0f]));
    }

    [Fact]
    public void Tanh_IsWithinFourUlp_AndOdd_AndSaturatesExactly()
    {
        if (!FloatSquashing.IsSupported)
            return; // CI's run without intrinsics: the activations use the BCL there (ActivationTests)
        var x = Sweep(-12f, 12f);
        var y = new float[x.Length];
        FloatSquashing.Tanh(x, y);
        for (int i = 0; i < x.Length; i++)
            AssertUlps(Math.Tanh(x[i]), y[i], 4, $"tanh({x[i]})");

        var special = Apply(FloatSquashing.Tanh, Specials);
        for (int i = 0; i < Specials.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(MathF.CopySign(1, Specials[i])), BitConverter.SingleToInt32Bits(MathF.CopySign(1, special[i])));
            if (Math.Abs(Specials[i]) < 1e-6f)
                Assert.Equal(Specials[i], special[i]); // tanh x = x to float precision near 0, signed zero kept
            else
                AssertUlps(Math.Tanh(Specials[i]), special[i], 4, $"tanh({Specials[i]})");
        }

        Assert.Equal([1f, -1f, 1f, -1f], Apply(FloatSquashing.Tanh, [300f, -300f, float.PositiveInfinity, float.NegativeInfinity]));
    }

    [Fact]
    public void NaN_Propagates_AndEveryLaneIsTheVectorForm()
    {
        if (!FloatSquashing.IsSupported)
            return; // CI's run without intrinsics: the activations use the BCL there (ActivationTests)
        var x = new float[11];
        for (int i = 0; i < x.Length; i++)
            x[i] = (i - 5) * 0.7f;
        x[3] = float.NaN;
        foreach (var kernel in new SpanKernel[] { FloatSquashing.Sigmoid, FloatSquashing.Tanh })
        {
            var whole = new float[x.Length];
            kernel(x, whole);
            Assert.True(float.IsNaN(whole[3]));
            // In place, and shifted by one element: every value is the same function of its input.
            var inPlace = (float[])x.Clone();
            kernel(inPlace, inPlace);
            Assert.Equal(whole, inPlace);
            var shifted = new float[x.Length - 1];
            kernel(x.AsSpan(1), shifted);
            Assert.Equal(whole[1..], shifted);
        }
    }

    private static float[] Apply(SpanKernel kernel, float[] values)
    {
        // Padded to a whole vector with copies of the first value, so the values take the vector form (shorter spans take the scalar one).
        var x = new float[Math.Max(values.Length, 8)];
        Array.Fill(x, values[0]);
        values.CopyTo(x, 0);
        var y = new float[x.Length];
        kernel(x, y);
        return y[..values.Length];
    }

    private delegate void SpanKernel(ReadOnlySpan<float> x, Span<float> y);

    private static float[] Sweep(float from, float to)
    {
        const int count = 200_003;
        var x = new float[count];
        for (int i = 0; i < count; i++)
            x[i] = from + ((to - from) * i / (count - 1));
        return x;
    }

    private static void AssertUlps(double exact, float actual, int maxUlps, string what)
    {
        float rounded = (float)exact;
        long distance = Math.Abs((long)Ordered(rounded) - Ordered(actual));
        Assert.True(distance <= maxUlps, $"{what}: {actual} is {distance} ulp from {rounded}");
    }

    // Float bits mapped to integers that are ordered like the floats, so a difference counts ulps.
    private static int Ordered(float value)
    {
        int bits = BitConverter.SingleToInt32Bits(value);
        return bits < 0 ? int.MinValue - bits : bits;
    }
}
