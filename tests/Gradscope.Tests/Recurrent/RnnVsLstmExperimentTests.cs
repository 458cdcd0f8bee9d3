using Gradscope.Diagnostics;
using Gradscope.Recurrent.Experiments;

namespace Gradscope.Tests.Recurrent;

public sealed class RnnVsLstmExperimentTests
{
    [Fact]
    [Trait("Category", "Experiment")]
    public void QuickRun_LstmSolvesFifty_RnnFailsAtFifty()
    {
        var rows = RnnVsLstm.Run(new RnnVsLstmOptions { Quick = true, Seed = 1 });
        Assert.Equal(9, rows.Count);
        var expectations = RnnVsLstm.Expectations(rows);
        Assert.Equal(5, expectations.Count);
        foreach (var e in expectations)
            Assert.True(e.Met, e.Description + ": " + string.Join("; ", rows.Select(r => $"T={r.Length} {r.Cell} acc {r.Accuracy:F3} ratio {r.GradientRatio:E1}")));

        var rnn50 = rows.Single(r => r.Length == 50 && r.Cell == "rnn");
        Assert.Contains(rnn50.Findings, f => f.Kind == FindingKind.VanishingThroughTime);
        Assert.True(rnn50.MemoryHorizon < 25, $"rnn memory horizon {rnn50.MemoryHorizon} at T=50");
    }

    [Fact]
    public void Expectations_MissingRnnRow_AreUnmet()
    {
        var expectations = RnnVsLstm.Expectations([]);
        Assert.Empty(expectations);
        var ex = Assert.Throws<GradscopeException>(() => RnnVsLstm.Run(new RnnVsLstmOptions { Cells = ["transformer"] }));
        Assert.Equal("Unknown cell 'transformer'. Valid cells: rnn, lstm, gru.", ex.Message);
    }
}
