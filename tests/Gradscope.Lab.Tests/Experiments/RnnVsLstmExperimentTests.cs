using Gradscope.Diagnostics;
using Gradscope.Lab.Experiments;
using Gradscope.Lab.Runs;
using Gradscope.Training;
using Xunit.Abstractions;

namespace Gradscope.Lab.Tests.Experiments;

[Collection(ExperimentCollection.Name)]
public sealed class RnnVsLstmExperimentTests(ITestOutputHelper output)
{
    [ExperimentFact]
    [Trait("Category", "Experiments")]
    public void QuickRun_LstmSolvesFifty_RnnFailsAtFifty()
    {
        var result = ExperimentRuns.Quick(new RnnVsLstmExperiment(), output);
        ExperimentRuns.AllPassed(result);
        Assert.Equal(5, result.Expectations.Count);
        Assert.Equal(9, result.Cells.Rows.Count);
        Assert.Equal(9, result.Runs.Count);
        Assert.Equal([10, 10, 10, 20, 20, 20, 50, 50, 50], ExperimentRuns.Column(result.Cells, "length").Select(v => (int)v.Number));
        Assert.Equal(["rnn", "lstm", "gru"], ExperimentRuns.Column(result.Cells, "cell").Take(3).Select(v => v.Text));
        int rnn50 = 6;
        Assert.Contains("VanishingThroughTime", ExperimentRuns.Column(result.Cells, "findings")[rnn50].Text);
        Assert.True(ExperimentRuns.Column(result.Cells, "memory_horizon")[rnn50].Number < 25);

        // Table 7 beside ours: the paper's three lengths, none of which the quick run reaches.
        var paper = Assert.Single(result.Tables);
        Assert.Equal([100, 500, 1000], ExperimentRuns.Column(paper, "length").Select(v => (int)v.Number));
        Assert.All(ExperimentRuns.Column(paper, "our_wrong"), v => Assert.Equal(ValueStyle.Missing, v.Style));
    }

    [Fact]
    public void Expectations_FullRunAtFiveHundred_CountsWrongOfFreshSequences()
    {
        RnnVsLstmRow[] solved = [Row(500, "lstm", accuracy: 1.0, wrong: 25)];
        var check = Assert.Single(RnnVsLstmExpectations.Check(solved));
        Assert.Equal("LSTM solves T = 500 (under 1% wrong on 2560 fresh sequences)", check.Name);
        Assert.True(check.Passed);
        Assert.Equal("25 wrong of 2560 after 1,024,000 sequences", check.Measured);
        Assert.Equal("0 wrong of 2560 after 209,000 sequences (Table 7)", check.Paper);
        Assert.False(Assert.Single(RnnVsLstmExpectations.Check([Row(500, "lstm", accuracy: 0.98, wrong: 26)])).Passed);
    }

    [Fact]
    public void Expectations_RnnAboveChance_OrMissing_Fail()
    {
        var checks = RnnVsLstmExpectations.Check([Row(50, "rnn", accuracy: 0.6, wrong: 1000, ratio: 1e-6), Row(50, "lstm", accuracy: 0.95, wrong: 3)]);
        Assert.Equal(["lstm solves T=50 (accuracy >= 90%)", "rnn is at chance at T=50 (accuracy <= chance + 10%)", "rnn's dL/dh_t collapses toward t = 0 at T=50 (||dL/dh_0|| / ||dL/dh_T|| < 1e-3)"],
            checks.Select(c => c.Name));
        Assert.Equal([true, false, true], checks.Select(c => c.Passed));
        Assert.Empty(RnnVsLstmExpectations.Check([]));
    }

    [Fact]
    public void PaperTable_PutsOursBesideTable7_MissingWhereEitherDidNotRun()
    {
        var table = RnnVsLstmPaper.Table([Row(100, "lstm", accuracy: 0.99, wrong: 4), Row(200, "lstm", accuracy: 0.2, wrong: 2000), Row(500, "rnn", accuracy: 0.15, wrong: 2100)]);
        Assert.Equal([100, 200, 500, 1000], ExperimentRuns.Column(table, "length").Select(v => (int)v.Number));
        Assert.Equal(["1", "-", "0", "1"], ExperimentRuns.Column(table, "paper_wrong").Select(v => v.Display()));
        Assert.Equal(["74000", "-", "209000", "853000"], ExperimentRuns.Column(table, "paper_sequences").Select(v => v.Display()));
        Assert.Equal(["4", "2000", "-", "-"], ExperimentRuns.Column(table, "our_wrong").Select(v => v.Display()));
    }

    [Fact]
    public void CreateConfig_FullModeAtFiveHundred_HasThePapersInputBiasAndAMillionSequences()
    {
        var options = new RnnVsLstmOptions { Quick = false };
        var config = RnnVsLstmRuns.CreateConfig(options, 500, "lstm");
        Assert.True(config.Budget.MaxSteps * config.Budget.BatchSize >= 1_000_000, $"{config.Budget.MaxSteps} steps of {config.Budget.BatchSize}");
        var lstm = Assert.IsType<RecurrentSpec>(config.Network.Layers[0]);
        Assert.Equal((5.0, -3.0), (lstm.ForgetBias, lstm.InputBias));
        Assert.Contains((500, "lstm"), RnnVsLstmRuns.Plan(quick: false));
        Assert.DoesNotContain(RnnVsLstmRuns.Plan(quick: true), run => run.Length > 50);

        // The GRU has no gate of that name; without the setting the LSTM keeps PyTorch's biases.
        Assert.Null(((RecurrentSpec)RnnVsLstmRuns.CreateConfig(new RnnVsLstmOptions { InputGateBias = null }, 50, "lstm").Network.Layers[0]).InputBias);
        Assert.DoesNotContain("input_bias", RunSpecJson.Write(RnnVsLstmRuns.CreateConfig(options, 500, "gru")));
    }

    [Fact]
    public void Run_UnknownCell_IsRejected()
    {
        var ex = Assert.Throws<GradscopeException>(() => RnnVsLstmRuns.Run(new RnnVsLstmOptions { Runs = [(10, "transformer")] }));
        Assert.Equal("Unknown cell 'transformer'. Valid cells: rnn, lstm, gru.", ex.Message);
    }

    private static RnnVsLstmRow Row(int length, string cell, double accuracy, int wrong, double ratio = 0.5) =>
        new(length, cell, accuracy, 0.154, 0.01, new ThroughTimeMeasure([1.0, ratio], 0.9, 1, length, false, ratio), wrong, 1_024_000, 0, null!);
}
