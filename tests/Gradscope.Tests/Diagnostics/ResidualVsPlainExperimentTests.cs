using Gradscope.Diagnostics;
using Gradscope.Diagnostics.Experiments;

namespace Gradscope.Tests.Diagnostics;

public sealed class ResidualVsPlainExperimentTests
{
    [Fact]
    [Trait("Category", "Experiment")]
    public void QuickRun_PlainStallsAtChance_ResidualAndBatchNormTrain()
    {
        var rows = ResidualVsPlain.Run(new ResidualVsPlainOptions { Quick = true, Seed = 1 });
        Assert.Equal(12, rows.Count);
        var expectations = ResidualVsPlain.Expectations(rows);

        // Depths 30 and 50: four variants each, plus the deepest plain network's gradient ratio.
        Assert.Equal(9, expectations.Count);
        foreach (var e in expectations)
            Assert.True(e.Met, e.Description + ": " + string.Join("; ", rows.Select(r => $"{r.Depth} {r.Variant} loss {r.Loss:F3} ratio {r.FirstToLastRatio:E1}")));

        var plain50 = rows.Single(r => r.Depth == 50 && r.Variant == "plain");
        Assert.Contains(plain50.Findings, f => f.Kind == FindingKind.Vanishing);
        var residual50 = rows.Single(r => r.Depth == 50 && r.Variant == "residual");
        Assert.True(residual50.OrdersLost < plain50.OrdersLost - 3, $"residual loses {residual50.OrdersLost:F1} orders, plain {plain50.OrdersLost:F1}");
    }

    [Fact]
    public void Expectations_MissingRows_AreUnmet_UnknownVariantIsRejected()
    {
        Assert.Empty(ResidualVsPlain.Expectations([]));
        var ex = Assert.Throws<GradscopeException>(() => ResidualVsPlain.Run(new ResidualVsPlainOptions { Variants = ["densenet"] }));
        Assert.Equal("Unknown variant 'densenet'. Valid variants: plain, residual, batch-norm, residual+batch-norm.", ex.Message);
    }

    [Fact]
    public void CreateConfig_Residual_IsDeepSigmoidAdamInFloat64()
    {
        var config = ResidualVsPlain.CreateConfig(new ResidualVsPlainOptions(), 20, "residual+batch-norm");
        Assert.Equal(20, config.Hidden.Count);
        Assert.Equal(("sigmoid", true, "batch", "adam", 0.001, true), (config.Activation, config.Residual, config.Norm, config.Optimizer, config.LearningRate!.Value, config.UseDouble));
    }
}
