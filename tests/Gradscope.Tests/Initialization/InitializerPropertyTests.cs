using System.Numerics;
using System.Numerics.Tensors;
using Gradscope.Initialization;
using Gradscope.Tensors;

namespace Gradscope.Tests.Initialization;

public class InitializerPropertyTests
{
    public static TheoryData<string> Specs =>
    [
        "standard", "normal", "uniform", "glorot-normal", "glorot-uniform", "he-normal", "he-uniform",
        "he-normal-fan-out", "he-uniform-fan-out", "lecun-normal", "lecun-uniform", "orthogonal",
    ];

    // W W^T = I for rows <= cols (orthonormal rows), W^T W = I otherwise (orthonormal columns).
    [Theory]
    [InlineData(64, 128)]
    [InlineData(128, 64)]
    [InlineData(512, 512)]
    [InlineData(1, 7)]
    [InlineData(7, 1)]
    public void Orthogonal_GivesOrthonormalRowsOrColumns(int rows, int cols)
    {
        var weight = new Matrix<double>(rows, cols);
        new Orthogonal().Initialize(weight, new SeededRandom(1));
        Assert.InRange(MaxDeviationFromScaledIdentity(rows <= cols ? weight : Transpose(weight), 1.0), 0, 1e-5);
    }

    [Fact]
    public void Orthogonal_GainScalesGram()
    {
        var weight = new Matrix<double>(32, 48);
        new Orthogonal { Gain = 2 }.Initialize(weight, new SeededRandom(1));
        Assert.InRange(MaxDeviationFromScaledIdentity(weight, 4.0), 0, 1e-5);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Initialize_IsDeterministicBySeed(string spec)
    {
        Initializer initializer = Initializer.Parse(spec);
        var first = new Matrix<double>(20, 30);
        var second = new Matrix<double>(20, 30);
        var other = new Matrix<double>(20, 30);
        initializer.Initialize(first, new SeededRandom(42));
        initializer.Initialize(second, new SeededRandom(42));
        initializer.Initialize(other, new SeededRandom(43));

        Assert.Equal(first.Span.ToArray(), second.Span.ToArray());
        Assert.NotEqual(first.Span.ToArray(), other.Span.ToArray());
    }

    // Draws and arithmetic happen in double; float gets the same numbers rounded once.
    [Theory]
    [MemberData(nameof(Specs))]
    public void Initialize_FloatIsDoubleRounded(string spec)
    {
        Initializer initializer = Initializer.Parse(spec);
        var asDouble = new Matrix<double>(24, 16);
        var asFloat = new Matrix<float>(24, 16);
        initializer.Initialize(asDouble, new SeededRandom(9));
        initializer.Initialize(asFloat, new SeededRandom(9));

        var rounded = new float[asDouble.Length];
        TensorPrimitives.ConvertTruncating<double, float>(asDouble.Span, rounded);
        Assert.Equal(rounded, asFloat.Span.ToArray());
    }

    [Fact]
    public void Initialize_EmptyMatrixIsANoOp()
    {
        var rng = new SeededRandom(1);
        new Orthogonal().Initialize(new Matrix<float>(0, 5), rng);
        new HeNormal().Initialize(new Matrix<float>(5, 0), rng);
        Assert.Equal(new SeededRandom(1).NextDouble(), rng.NextDouble());
    }

    private static Matrix<double> Transpose(Matrix<double> matrix)
    {
        var result = new Matrix<double>(matrix.Cols, matrix.Rows);
        for (int i = 0; i < matrix.Rows; i++)
        {
            for (int j = 0; j < matrix.Cols; j++)
                result[j, i] = matrix[i, j];
        }

        return result;
    }

    // max |(W W^T)_ij - scale * delta_ij|, from dot products of rows.
    private static double MaxDeviationFromScaledIdentity<T>(Matrix<T> weight, double scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double worst = 0;
        for (int i = 0; i < weight.Rows; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double dot = double.CreateTruncating(TensorPrimitives.Dot<T>(weight.Row(i), weight.Row(j)));
                worst = Math.Max(worst, Math.Abs(dot - (i == j ? scale : 0.0)));
            }
        }

        return worst;
    }
}
