using System.Text.Json;

namespace Gradscope.Cli.Tests.Sweeps;

public sealed class SweepUsageTests
{
    [Theory]
    [InlineData("""{"format": "gradscope.sweep", "name": "x", "grid": {"colour": ["red"]}}""", "grid.colour: not a training option")]
    [InlineData("""{"format": "gradscope.sweep", "name": "x", "grid": {"activation": ["tanh", "wobbly"]}}""", "trial ")]
    [InlineData("""{"format": "gradscope.sweep", "name": "x", "random": {"count": 2, "parameters": {"lr": {"uniform": [1]}}}}""", "random.parameters.lr.uniform")]
    [InlineData("""{"format": "gradscope.sweep", "name": "x", """, "not valid JSON")]
    public void Spec_Malformed_IsUsage_NamingTheFileAndTheKey(string json, string expected)
    {
        string dir = CliRunner.TempDir();
        string file = Path.Combine(dir, "bad.json");
        File.WriteAllText(file, json);
        var (exit, _, err) = CliRunner.Run("sweep", "run", "--spec", file, "--store", Path.Combine(dir, "s.db"), "--dry-run");
        Assert.Equal(2, exit);
        Assert.StartsWith($"error: {file}: ", err);
        Assert.Contains(expected, err);
        Assert.DoesNotContain("   at ", err);
    }

    [Theory]
    [InlineData(new[] { "--activation", "tanh,wobbly" }, "wobbly")]
    [InlineData(new[] { "--seeds", "2", "--seed", "1,2" }, "--seeds and --seed")]
    [InlineData(new[] { "--seeds", "0" }, "--seeds must be")]
    [InlineData(new[] { "--parallel", "0" }, "--parallel must be at least 1")]
    [InlineData(new[] { "--activation", "tanh,,relu" }, "an empty value")]
    [InlineData(new[] { "--residual", "maybe" }, "a flag takes true or false")]
    public void Run_BadOption_IsUsage(string[] args, string expected)
    {
        var (exit, _, err) = SweepTestStore.Run(SweepTestStore.NewStore(), ["--name", "u", .. args, "--dry-run"]);
        Assert.Equal(2, exit);
        Assert.Contains(expected, err);
    }

    [Fact]
    public void Run_WithoutName_OrSpecBesideTrainingOptions_IsUsage()
    {
        var (exit, _, err) = SweepTestStore.Run(SweepTestStore.NewStore(), "--dry-run");
        Assert.Equal(2, exit);
        Assert.Contains("needs --name", err);

        string file = Path.Combine(CliRunner.TempDir(), "ok.json");
        File.WriteAllText(file, """{"format": "gradscope.sweep", "name": "x"}""");
        (exit, _, err) = CliRunner.Run("sweep", "run", "--spec", file, "--activation", "tanh", "--dry-run");
        Assert.Equal(2, exit);
        Assert.Contains("--activation cannot be combined with --spec", err);
    }

    [Fact]
    public void Spec_File_ExpandsGridListedTrialsAndRandomDraws()
    {
        string file = Path.Combine(CliRunner.TempDir(), "sweep.json");
        File.WriteAllText(file, """
            {"format": "gradscope.sweep", "name": "from-file", "base": {"data": "spiral", "max-steps": 20, "residual": true},
             "grid": {"activation": ["tanh", "relu"]}, "trials": [{"activation": "sigmoid", "lr": 0.5}],
             "random": {"count": 3, "seed": 5, "parameters": {"lr": {"log-uniform": [0.001, 0.1]}}}, "seeds": [3, 4]}
            """);
        var (exit, output, err) = CliRunner.Run("sweep", "run", "--spec", file, "--dry-run", "--json");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("from-file", doc.RootElement.GetProperty("name").GetString());
        Assert.Equal((2 + 1 + 3) * 2, doc.RootElement.GetProperty("count").GetInt32());
        var trials = doc.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal("activation=sigmoid lr=0.5", trials[4].GetProperty("cell").GetString());
        Assert.All(trials, t => Assert.Contains(t.GetProperty("seed").GetInt32(), new[] { 3, 4 }));
        Assert.StartsWith("lr=0.0", trials[^1].GetProperty("cell").GetString());
        Assert.Contains("residual", trials[0].GetProperty("spec").GetProperty("network").GetRawText());

        var (_, again, _) = CliRunner.Run("sweep", "run", "--spec", file, "--dry-run", "--json");
        Assert.Equal(output, again);
    }

    [Fact]
    public void Show_UnknownSweep_IsUsage()
    {
        string store = SweepTestStore.NewStore();
        Assert.Equal(0, SweepTestStore.Run(store, "--name", "known").Exit);
        var (exit, _, err) = CliRunner.Run("sweep", "show", "nope", "--store", store);
        Assert.Equal(2, exit);
        Assert.Contains("no sweep 'nope'", err);
    }
}
