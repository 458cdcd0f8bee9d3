using Gradscope.Tensors;

namespace Gradscope.Tests.Tensors;

/// <summary>Views of some rows of a matrix: the halves of a batch that two cores run at once.</summary>
public sealed class MatrixViewTests
{
    [Fact]
    public void View_ReadsAndWritesTheRowsItWasGiven()
    {
        var parent = new Matrix<float>(5, 3);
        for (int i = 0; i < parent.Length; i++)
            parent.Span[i] = i;
        var view = Matrix<float>.View(3);
        view.ViewRows(parent, 2, 2);

        Assert.Equal(2, view.Rows);
        Assert.Equal([6f, 7f, 8f, 9f, 10f, 11f], view.Span.ToArray());
        Assert.Equal([9f, 10f, 11f], view.Row(1).ToArray());
        view[0, 1] = -1;
        view.Row(1)[2] = -2;
        Assert.Equal(-1, parent[2, 1]);
        Assert.Equal(-2, parent[3, 2]);
        Assert.Equal(12, parent[4, 0]); // rows after the view untouched
    }

    [Fact]
    public void View_OfAView_AddsOffsets()
    {
        var parent = new Matrix<double>(6, 2);
        for (int i = 0; i < parent.Length; i++)
            parent.Span[i] = i;
        var outer = Matrix<double>.View(2);
        outer.ViewRows(parent, 1, 4);
        var inner = Matrix<double>.View(2);
        inner.ViewRows(outer, 2, 2);
        Assert.Equal([6.0, 7.0, 8.0, 9.0], inner.Span.ToArray());
    }

    [Fact]
    public void View_ShrinksAndGrowsWithinItsRows_ButNoFurther()
    {
        var parent = new Matrix<float>(8, 4);
        var view = Matrix<float>.View(4);
        view.ViewRows(parent, 4, 3);
        view.Resize(0);
        Assert.Equal(0, view.Rows);
        view.Resize(3);
        Assert.Equal(3, view.Rows);
        var error = Assert.Throws<InvalidOperationException>(() => view.Resize(4));
        Assert.Contains("cannot grow", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => view.Row(3));
    }

    [Fact]
    public void ViewRows_RejectsRowsOutsideTheParent_AndMatricesThatAreNotViews()
    {
        var parent = new Matrix<float>(4, 3);
        var view = Matrix<float>.View(3);
        Assert.Throws<ArgumentException>(() => view.ViewRows(parent, 3, 2));
        Assert.Throws<ArgumentException>(() => view.ViewRows(parent, -1, 1));
        Assert.Throws<ArgumentException>(() => view.ViewRows(new Matrix<float>(4, 2), 0, 1));
        Assert.Throws<InvalidOperationException>(() => new Matrix<float>(2, 3).ViewRows(parent, 0, 1));
    }

    [Fact]
    public void AddWithSquares_AddsAndReturnsTheSumOfSquares_OnBothPaths()
    {
        var a = new float[37];
        var b = new float[37];
        for (int i = 0; i < a.Length; i++)
            (a[i], b[i]) = (i * 0.5f, 1 - i);
        foreach (bool simd in new[] { true, false })
        {
            bool saved = Elementwise.UseSimd;
            Elementwise.UseSimd = simd;
            try
            {
                var sum = new float[37];
                double squares = Reductions.AddWithSquares<float>(a, b, sum);
                double expected = 0;
                for (int i = 0; i < sum.Length; i++)
                {
                    Assert.Equal(a[i] + b[i], sum[i]);
                    expected += (double)sum[i] * sum[i];
                }

                Assert.Equal(expected, squares, 1e-9 * expected);
            }
            finally
            {
                Elementwise.UseSimd = saved;
            }
        }

        Assert.Throws<ArgumentException>(() => Reductions.AddWithSquares<float>(a, b, new float[36]));
    }
}
