using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Tests.Losses;

/// <summary>Builds small matrices from literal numbers for tests.</summary>
internal static class TestMatrices
{
    public static Matrix<T> Of<T>(int rows, int cols, params double[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var matrix = new Matrix<T>(rows, cols);
        for (int i = 0; i < values.Length; i++)
            matrix.Span[i] = T.CreateTruncating(values[i]);
        return matrix;
    }

    public static double[] ToDoubles<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
            result[i] = double.CreateTruncating(values[i]);
        return result;
    }
}
