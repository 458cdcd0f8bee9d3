using Gradscope.Tensors;

namespace Gradscope.Tests.Tensors;

public sealed class SpecialFunctionsTests
{
    // Reference values from the defining integral (Abramowitz and Stegun table 7.1, extended with
    // mpmath to 16 digits).
    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(-1.5, -0.9661051464753108)]
    [InlineData(2.5, 0.9995930479825550)]
    [InlineData(4.0, 0.9999999845827421)]
    public void Erf_MatchesReference(double x, double expected) =>
        Assert.Equal(expected, SpecialFunctions.Erf(x), 14);

    [Theory]
    [InlineData(3.0, 2.209049699858544e-05)]
    [InlineData(5.0, 1.5374597944280349e-12)]
    [InlineData(10.0, 2.088487583762545e-45)]
    public void Erfc_IsAccurateInTheTail(double x, double expected) =>
        Assert.True(Math.Abs(SpecialFunctions.Erfc(x) - expected) < 1e-13 * expected, $"erfc({x}) = {SpecialFunctions.Erfc(x)}");

    [Fact]
    public void Erf_OfNaN_IsNaN() => Assert.True(double.IsNaN(SpecialFunctions.Erf(double.NaN)));
}
