using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Tests.Layers;

public sealed class DenseTests
{
    [Fact]
    public void Backward_AfterZeroGrad_OverwritesStaleGradients_AndAccumulatesAfter()
    {
        var (dense, input, gradOutput) = Setup();
        dense.Weight.Grad.Span.Fill(99.0); // stale values a lazy clear must not add to
        dense.Bias.Grad.Span.Fill(99.0);
        dense.Weight.ZeroGrad();
        dense.Bias.ZeroGrad();
        dense.Forward(input, training: true);
        dense.Backward(gradOutput);
        var once = dense.Weight.Grad.Clone();
        var expected = ReferenceGemm.Multiply(gradOutput, true, input, false);
        Assert.Equal(expected[2, 1], once[2, 1], 12);
        Assert.Equal(gradOutput[0, 3] + gradOutput[1, 3] + gradOutput[2, 3] + gradOutput[3, 3] + gradOutput[4, 3], dense.Bias.Grad.Span[3], 12);

        dense.Backward(gradOutput); // no ZeroGrad: the second pass adds
        Assert.Equal(2 * once[2, 1], dense.Weight.Grad[2, 1], 12);
    }

    [Fact]
    public void ZeroGrad_ThenRead_IsZero()
    {
        var (dense, _, _) = Setup();
        dense.Weight.Grad.Span.Fill(3.0);
        dense.Weight.ZeroGrad();
        Assert.Equal(0.0, Reductions.SumOfSquares<double>(dense.Weight.Grad.Span));
    }

    [Fact]
    public void WeightGradSumOfSquares_IsTheSquaredNormOfTheGradient()
    {
        var (dense, input, gradOutput) = Setup();
        dense.Forward(input, training: true);
        dense.Backward(gradOutput);
        dense.Backward(gradOutput);
        Assert.Equal(Reductions.SumOfSquares<double>(dense.Weight.Grad.Span), dense.WeightGradSumOfSquares, 10);
    }

    private static (Dense<double> Dense, Matrix<double> Input, Matrix<double> GradOutput) Setup()
    {
        var rng = new SeededRandom(7);
        var dense = new Dense<double>(3, 4);
        Fill(dense.Weight.Value, rng);
        var input = new Matrix<double>(5, 3);
        var gradOutput = new Matrix<double>(5, 4);
        Fill(input, rng);
        Fill(gradOutput, rng);
        return (dense, input, gradOutput);
    }

    private static void Fill(Matrix<double> m, SeededRandom rng)
    {
        for (int i = 0; i < m.Length; i++)
            m.Span[i] = rng.NextGaussian();
    }
}
