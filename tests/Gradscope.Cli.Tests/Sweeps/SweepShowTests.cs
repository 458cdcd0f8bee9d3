using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;

namespace Gradscope.Cli.Tests.Sweeps;

public sealed class SweepShowTests
{
    [Fact]
    public void Show_SummaryEqualsOneComputedFromTheStoredRuns()
    {
        string store = SweepTestStore.NewStore();
        var (exit, _, err) = SweepTestStore.Run(store, "--name", "s", "--layers", "2x8", "--layers", "6x8", "--activation", "sigmoid,relu", "--seeds", "3");
        Assert.True(exit == 0, err);
        (exit, var output, err) = CliRunner.Run("sweep", "show", "s", "--store", store, "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(12, doc.RootElement.GetProperty("trials").GetProperty("done").GetInt32());
        var cells = doc.RootElement.GetProperty("cells").EnumerateArray().ToDictionary(c => c.GetProperty("cell").GetString()!);
        Assert.Equal(4, cells.Count);

        // Independently: group the stored runs by name without the seed, measure each from its steps.
        foreach (var group in SweepTestStore.Runs(store, "s").GroupBy(r => r.Name![..r.Name!.LastIndexOf(" seed=", StringComparison.Ordinal)]))
        {
            var cell = cells[group.Key];
            Assert.Equal(3, cell.GetProperty("done").GetInt32());
            AssertSpread(cell.GetProperty("final_loss"), group.Select(r => r.Final.Loss));
            AssertSpread(cell.GetProperty("train_accuracy"), group.Select(r => r.Final.TrainAccuracy));
            AssertSpread(cell.GetProperty("test_accuracy"), group.Select(r => r.Final.TestAccuracy));
            AssertSpread(cell.GetProperty("orders_lost"), group.Select(r => Math.Log10(Early(r)[^1]) - Math.Log10(Early(r)[0])));
            AssertSpread(cell.GetProperty("first_to_last_ratio"), group.Select(r => Early(r)[0] / Early(r)[^1]));
            int vanishing = group.Count(r => r.Findings.Any(f => f.Kind == FindingKind.Vanishing));
            var listed = cell.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("kind").GetString() == "Vanishing").Select(f => f.GetProperty("trials").GetInt32());
            Assert.Equal(vanishing, listed.SingleOrDefault());
        }

        (exit, output, _) = CliRunner.Run("sweep", "show", "s", "--store", store);
        Assert.Equal(0, exit);
        Assert.Contains("layers=6x8 activation=sigmoid", output);
        Assert.Contains("mean ± sample standard deviation", output);
    }

    [Fact]
    public void List_ShowsTrialCountsByState()
    {
        string store = SweepTestStore.NewStore();
        Assert.Equal(0, SweepTestStore.Run(store, "--name", "one", "--activation", "tanh,relu").Exit);
        var (exit, output, err) = CliRunner.Run("sweep", "list", "--store", store, "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        var sweep = doc.RootElement.GetProperty("sweeps").EnumerateArray().Single();
        Assert.Equal(("one", 2, 2, 0), (sweep.GetProperty("name").GetString(), sweep.GetProperty("trials").GetInt32(), sweep.GetProperty("done").GetInt32(), sweep.GetProperty("failed").GetInt32()));
        (exit, output, _) = CliRunner.Run("sweep", "list", "--store", store);
        Assert.Equal(0, exit);
        Assert.Contains("one", output);
    }

    // Per layer, the median delta_rms over the first 10% of the steps (at least 1, at most 50): the diagnosis's early window.
    private static double[] Early(RunRecord run)
    {
        int end = Math.Clamp((int)Math.Ceiling(run.Trace.StepCount * 0.1), 1, 50);
        var early = new double[run.Trace.LayerCount];
        for (int l = 0; l < early.Length; l++)
        {
            var values = Enumerable.Range(0, end).Select(s => run.Trace[LayerStat.DeltaRms, s, l]).Order().ToArray();
            early[l] = values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
        }

        return early;
    }

    private static void AssertSpread(JsonElement spread, IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        double mean = finite.Average();
        double std = finite.Length > 1 ? Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / (finite.Length - 1)) : 0;
        Assert.Equal(finite.Length, spread.GetProperty("n").GetInt32());
        Assert.Equal(mean, spread.GetProperty("mean").GetDouble(), 1e-9 * Math.Max(1, Math.Abs(mean)));
        Assert.Equal(std, spread.GetProperty("std").GetDouble(), 1e-9 * Math.Max(1, Math.Abs(std)));
    }
}
