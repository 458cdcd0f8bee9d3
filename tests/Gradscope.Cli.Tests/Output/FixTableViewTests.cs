using Gradscope.Cli.Output;
using Gradscope.Diagnostics;
using Gradscope.Lab.Fixes;
using Gradscope.Lab.Runs;

namespace Gradscope.Cli.Tests.Output;

public sealed class FixTableViewTests
{
    private static FixOutcome Outcome(string label, double accuracy, double loss, Remedy? remedy) =>
        new(label, remedy, new RunFlags().ToSpec(), 1, 0, loss, accuracy, []);

    [Fact]
    public void Ranked_PutsTheBestOutcomeFirst_AndTheDivergedLast()
    {
        var outcomes = new[]
        {
            Outcome("as given", 0.40, 1.0, null),
            Outcome("a", 0.60, 0.9, Remedies.ReluHe),
            Outcome("b", double.NaN, double.NaN, Remedies.GeluHe),
            Outcome("c", 0.80, 0.7, Remedies.BatchNorm),
            Outcome("d", 0.80, 0.5, Remedies.Residual),
        };

        var ranked = FixTableView.Ranked(outcomes).Select(o => o.Label).ToList();

        Assert.Equal(["d", "c", "a", "b"], ranked);
    }

    [Fact]
    public void Write_NamesTheBestFixAndSaysTheAccuracyIsOnTrainingData()
    {
        var output = new StringWriter();
        var terminal = new Terminal(output, plain: true);
        FixTableView.Write(terminal, [Outcome("as given", 0.40, 1.0, null), Outcome("switch", 0.9, 0.3, Remedies.ReluHe)]);

        string text = output.ToString();
        Assert.Contains("train accuracy", text, StringComparison.Ordinal);
        Assert.Contains("best fix: switch (90.0% train accuracy, loss 0.3000; as given: 40.0%, loss 1.0000).", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3.04, "3.0")]
    [InlineData(-2.5, "2.5 gained")]
    [InlineData(double.NaN, "-")]
    public void OrdersLost_ShowsNegativeOrdersAsGained(double orders, string expected) =>
        Assert.Equal(expected, FixTableView.OrdersLost(orders));
}
