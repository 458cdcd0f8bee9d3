using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gradscope.Tensors;

/// <summary>
/// Sigmoid and tanh over float spans with AVX2 and FMA, from a float e^x (Cephes' expf: range
/// reduction by ln 2 in two parts, a degree-6 polynomial, the power of two built in the exponent
/// bits; about 1 ulp). The BCL's vectorized float exp evaluates in double, which made the sigmoid
/// forward pass a tenth of a 20x64 sigmoid network's training step. Results are within a few ulp
/// of the correctly rounded values (tested), saturate to exactly 0 and 1 as the BCL's do, and
/// keep NaN. Every element gets the vector form (the last vector overlaps the one before), so a
/// value does not depend on where its span starts or ends.
/// </summary>
internal static class FloatSquashing
{
    /// <summary>
    /// True when the vector forms can run: AVX2 with FMA, SIMD on, and <see cref="System.Numerics.Vector{T}"/>
    /// of eight floats (the width <see cref="Elementwise.Map{T, TOp}"/> drives them at).
    /// </summary>
    public static bool IsSupported =>
        Avx2.IsSupported && Fma.IsSupported && Elementwise.UseSimd && Vector<float>.Count == Vector256<float>.Count;

    /// <summary>y = 1 / (1 + e^-x). Requires <see cref="IsSupported"/>; <paramref name="y"/> may alias <paramref name="x"/>.</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) => Elementwise.Map<float, SigmoidKernel>(x, y);

    /// <summary>y = tanh x. Requires <see cref="IsSupported"/>; <paramref name="y"/> may alias <paramref name="x"/>.</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => Elementwise.Map<float, TanhKernel>(x, y);

    // Scalar forms serve spans shorter than one vector; longer spans get the vector form for every
    // element (Elementwise.Map overlaps a partial last vector).
    private readonly struct SigmoidKernel : IUnaryOperator
    {
        public static T Invoke<T>(T x)
            where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<T> Invoke<T>(Vector<T> x)
            where T : unmanaged, IFloatingPointIeee754<T> => Invoke(x.As<T, float>().AsVector256()).AsVector().As<float, T>();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Invoke(Vector256<float> x)
        {
            var e = Exp(Vector256.Negate(x));
            var y = Vector256<float>.One / (Vector256<float>.One + e);
            // Below -88.38 e^-x would overflow: the true value is under 4e-39, beneath float's
            // normal range, and the result is 0 (so the derivative y(1 - y) is exactly 0).
            y = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(-MaxExponent)), Vector256<float>.Zero, y);
            return KeepNaN(x, y);
        }
    }

    private readonly struct TanhKernel : IUnaryOperator
    {
        public static T Invoke<T>(T x)
            where T : unmanaged, IFloatingPointIeee754<T> => T.Tanh(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector<T> Invoke<T>(Vector<T> x)
            where T : unmanaged, IFloatingPointIeee754<T> => Invoke(x.As<T, float>().AsVector256()).AsVector().As<float, T>();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Invoke(Vector256<float> x)
        {
            // Cephes tanhf: an odd polynomial below 0.625 (where 1 - 2/(e^2x + 1) would cancel),
            // 1 - 2 / (e^2|x| + 1) with x's sign above.
            // Both forms are computed for |x| and x's sign put back on the non-negative result, so
            // tanh is exactly odd and keeps the sign of zero.
            var z = Vector256.Abs(x);
            var s = z * z;
            var p = Fma.MultiplyAdd(Vector256.Create(-5.70498872745E-3f), s, Vector256.Create(2.06390887954E-2f));
            p = Fma.MultiplyAdd(p, s, Vector256.Create(-5.37397155531E-2f));
            p = Fma.MultiplyAdd(p, s, Vector256.Create(1.33314422036E-1f));
            p = Fma.MultiplyAdd(p, s, Vector256.Create(-3.33332819422E-1f));
            var small = Fma.MultiplyAdd(p * s, z, z);
            var e = Exp(z + z);
            var large = Vector256<float>.One - (Vector256.Create(2f) / (e + Vector256<float>.One));
            var y = Vector256.ConditionalSelect(Vector256.LessThan(z, Vector256.Create(0.625f)), small, large);
            return KeepNaN(x, y | (x & Vector256.Create(-0f)));
        }
    }

    // e^x for x clamped to [-87.34, 88.38], where the result is a normal float.
    private const float MaxExponent = 88.3762626647949f;
    private const float MinExponent = -87.3365447504f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp(Vector256<float> x)
    {
        x = Avx.Min(Avx.Max(x, Vector256.Create(MinExponent)), Vector256.Create(MaxExponent));
        var n = Avx.RoundToNearestInteger(x * Vector256.Create(1.44269504088896341f));
        var r = Fma.MultiplyAddNegated(n, Vector256.Create(0.693359375f), x);
        r = Fma.MultiplyAddNegated(n, Vector256.Create(-2.12194440e-4f), r);
        var p = Fma.MultiplyAdd(Vector256.Create(1.9875691500E-4f), r, Vector256.Create(1.3981999507E-3f));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(8.3334519073E-3f));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(4.1665795894E-2f));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1.6666665459E-1f));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(5.0000001201E-1f));
        p = Fma.MultiplyAdd(p, r * r, r) + Vector256<float>.One;
        var scale = Avx2.ShiftLeftLogical(Avx.ConvertToVector256Int32(n) + Vector256.Create(127), 23).AsSingle();
        return p * scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> KeepNaN(Vector256<float> x, Vector256<float> y) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, x), y, x);
}
