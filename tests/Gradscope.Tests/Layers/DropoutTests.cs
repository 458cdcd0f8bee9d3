using Gradscope.Layers;
using Gradscope.Tensors;

namespace Gradscope.Tests.Layers;

public sealed class DropoutTests
{
    [Fact]
    public void Dropout_Training_DropsAboutPAndScalesSurvivors()
    {
        var dropout = new Dropout<double>(100, 0.3, seed: 5);
        var x = Filled(200, 100, 2.0);

        var y = dropout.Forward(x, training: true);

        int zeros = 0;
        foreach (double v in y.Span)
        {
            if (v == 0)
                zeros++;
            else
                Assert.Equal(2.0 / 0.7, v, 12);
        }

        Assert.InRange(zeros / 20000.0, 0.29, 0.31);
    }

    [Fact]
    public void Dropout_Evaluation_IsTheIdentity()
    {
        var dropout = new Dropout<float>(3, 0.5, seed: 1);
        var x = new Matrix<float>(2, 3);
        x[1, 2] = 4f;

        var y = dropout.Forward(x, training: false);
        var dx = dropout.Backward(x);

        Assert.Equal(4f, y[1, 2]);
        Assert.Equal(4f, dx[1, 2]);
    }

    [Fact]
    public void Dropout_Backward_UsesTheForwardMask()
    {
        var dropout = new Dropout<double>(8, 0.5, seed: 3);
        var y = dropout.Forward(Filled(4, 8, 1.0), training: true);
        var dx = dropout.Backward(Filled(4, 8, 3.0));

        for (int i = 0; i < y.Length; i++)
            Assert.Equal(3 * y.Span[i], dx.Span[i], 12);
    }

    [Fact]
    public void Dropout_SameSeed_SameMask_AndFrozenMaskRepeats()
    {
        var a = new Dropout<double>(10, 0.5, seed: 9);
        var b = new Dropout<double>(10, 0.5, seed: 9) { MaskFrozen = true };
        var x = Filled(3, 10, 1.0);

        var first = a.Forward(x, training: true).Clone();
        b.Forward(x, training: true);
        var again = b.Forward(x, training: true);
        var next = a.Forward(x, training: true);

        Assert.Equal(first.Span.ToArray(), again.Span.ToArray());
        Assert.NotEqual(first.Span.ToArray(), next.Span.ToArray());
    }

    [Fact]
    public void Dropout_ProbabilityOne_ThrowsWithTheRange()
    {
        var ex = Assert.Throws<GradscopeException>(() => new Dropout<float>(4, 1.0));
        Assert.Equal("The dropout probability must be in [0, 1); got 1.", ex.Message);
    }

    private static Matrix<double> Filled(int rows, int cols, double value)
    {
        var m = new Matrix<double>(rows, cols);
        m.Span.Fill(value);
        return m;
    }
}
