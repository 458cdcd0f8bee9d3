using Gradscope.Losses;
using Gradscope.Tensors;

namespace Gradscope.Tests.Losses;

public class LossParseTests
{
    [Theory]
    [InlineData("cross-entropy", "cross-entropy")]
    [InlineData("CE", "cross-entropy")]
    [InlineData(" bce ", "bce")]
    [InlineData("binary-cross-entropy", "bce")]
    [InlineData("mse", "mse")]
    [InlineData("Mean-Squared-Error", "mse")]
    public void Parse_AcceptsNamesAndAliases(string spec, string name)
    {
        Assert.Equal(name, Loss.Parse<float>(spec).Name);
        Assert.Equal(name, Loss.Parse<double>(spec).Name);
    }

    [Fact]
    public void Parse_UnknownNameListsValidNames()
    {
        var error = Assert.Throws<GradscopeException>(() => Loss.Parse<float>("hinge"));
        Assert.Equal(
            "Unknown loss 'hinge'. Valid losses: cross-entropy (alias ce), bce (alias binary-cross-entropy), mse (alias mean-squared-error).",
            error.Message);
    }

    [Fact]
    public void Parse_EmptyNameSaysSo()
    {
        var error = Assert.Throws<GradscopeException>(() => Loss.Parse<float>("  "));
        Assert.StartsWith("The loss name is empty. Valid losses: cross-entropy", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cross-entropy", 3)]
    [InlineData("bce", -1)]
    [InlineData("mse", 7)]
    public void Compute_LabelOutOfRangeNamesRowLabelAndClassCount(string name, int badLabel)
    {
        var output = new Matrix<float>(2, 3);
        var error = Assert.Throws<GradscopeException>(() => Loss.Parse<float>(name).Compute(output, [0, badLabel], new Matrix<float>(2, 3)));
        Assert.Equal(
            $"Label {badLabel} in row 1 of the batch is out of range: the model has 3 outputs, so labels must be 0 to 2. " +
            "Check the label column or the output size of the last layer.",
            error.Message);
    }

    [Fact]
    public void Compute_LabelCountMismatchIsAnArgumentError()
    {
        var output = new Matrix<double>(2, 3);
        var error = Assert.Throws<ArgumentException>(() => new MeanSquaredError<double>().Compute(output, [0], new Matrix<double>(2, 3)));
        Assert.StartsWith("Got 1 labels for a batch of 2 rows.", error.Message, StringComparison.Ordinal);
    }
}
