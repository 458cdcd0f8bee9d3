using System.Text.Json;
using Gradscope.Cli;

namespace Gradscope.Server.Tests;

public sealed class SweepsApiTests
{
    [Fact]
    public async Task Sweeps_MatchTheCliJsonAndListEachCellsRuns()
    {
        string store = TestRuns.TempStore();
        int exit = CliApp.Run(
            ["sweep", "run", "--name", "tiny", "--data", "spiral", "--samples", "256", "--max-steps", "20", "--batch-size", "32",
             "--layers", "2x8", "--activation", "tanh,relu", "--store", store, "--parallel", "1"],
            TextWriter.Null, TextWriter.Null, plain: true);
        Assert.Equal(0, exit);
        var show = new StringWriter();
        Assert.Equal(0, CliApp.Run(["sweep", "show", "tiny", "--json", "--store", store], show, TextWriter.Null, plain: true));
        using var cli = JsonDocument.Parse(show.ToString());
        await using var harness = await ServerHarness.Start(store);

        var list = await harness.GetJson("/api/sweeps");
        var sweep = await harness.GetJson("/api/sweeps/tiny");

        var listed = Assert.Single(list.GetProperty("sweeps").EnumerateArray());
        Assert.Equal("tiny", listed.GetProperty("name").GetString());
        Assert.Equal(2, listed.GetProperty("trials").GetInt32());
        Assert.Equal(Compact(cli.RootElement.GetProperty("trials")), Compact(sweep.GetProperty("trials")));
        var cells = sweep.GetProperty("cells");
        Assert.Equal(cli.RootElement.GetProperty("cells").GetArrayLength(), cells.GetArrayLength());
        var runs = await harness.GetJson("/api/runs?tag=sweep:tiny");
        var runIds = runs.EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToHashSet();
        foreach (var cell in cells.EnumerateArray())
        {
            var ids = cell.GetProperty("run_ids").EnumerateArray().Select(i => i.GetString()).ToList();
            Assert.Single(ids);
            Assert.Contains(ids[0], runIds);
            var cliCell = cli.RootElement.GetProperty("cells").EnumerateArray().Single(c => c.GetProperty("cell").GetString() == cell.GetProperty("cell").GetString());
            Assert.Equal(Compact(cliCell.GetProperty("orders_lost")), Compact(cell.GetProperty("orders_lost")));
        }
    }

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);
}
