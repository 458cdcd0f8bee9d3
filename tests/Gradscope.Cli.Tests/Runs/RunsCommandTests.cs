using System.Text.Json;

namespace Gradscope.Cli.Tests.Runs;

public sealed class RunsCommandTests
{
    private static string[] Train(string store, params string[] extra) =>
        ["train", "--layers", "3x8", "--samples", "60", "--epochs", "2", "--store", store, .. extra];

    [Fact]
    public void Train_ThenListShowTagRm_RoundTrip()
    {
        string store = Path.Combine(CliRunner.TempDir(), "runs.db");
        var trained = CliRunner.Run(Train(store, "--name", "base", "--tag", "x"));
        Assert.Equal(0, trained.Exit);
        Assert.Contains("recorded run ", trained.Out);
        Assert.Equal(0, CliRunner.Run(Train(store, "--activation", "sigmoid", "--name", "sig")).Exit);

        var list = CliRunner.Run("runs", "list", "--store", store, "--json");
        Assert.Equal(0, list.Exit);
        using var doc = JsonDocument.Parse(list.Out);
        Assert.Equal(2, doc.RootElement.GetArrayLength());
        var sig = doc.RootElement[0];
        Assert.Equal("sig", sig.GetProperty("name").GetString());
        Assert.Equal("completed", sig.GetProperty("status").GetString());
        Assert.True(sig.GetProperty("steps").GetInt32() > 0);
        Assert.Equal("spiral", sig.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("gradscope.run", sig.GetProperty("spec").GetProperty("format").GetString());
        Assert.InRange(sig.GetProperty("train_accuracy").GetDouble(), 0.0, 1.0);
        string id = doc.RootElement[1].GetProperty("id").GetString()!;

        var filtered = CliRunner.Run("runs", "list", "--store", store, "--tag", "x");
        Assert.Contains("base", filtered.Out);
        Assert.DoesNotContain("sig", filtered.Out);

        var show = CliRunner.Run("runs", "show", id[..12], "--store", store);
        Assert.Equal(0, show.Exit);
        Assert.Contains("grad_norm start", show.Out);
        Assert.Contains("optimizer.lr", show.Out);

        Assert.Equal(0, CliRunner.Run("runs", "tag", id, "keep", "--store", store).Exit);
        Assert.Contains("keep", CliRunner.Run("runs", "list", "--store", store, "--tag", "keep").Out);

        var compare = CliRunner.Run("runs", "compare", id, sig.GetProperty("id").GetString()!, "--store", store);
        Assert.Equal(0, compare.Exit);
        Assert.Contains("* network", compare.Out);

        var refused = CliRunner.Run("runs", "rm", id, "--store", store);
        Assert.Equal(2, refused.Exit);
        Assert.Contains("--yes", refused.Err);
        Assert.Equal(0, CliRunner.Run("runs", "rm", id, "--yes", "--store", store).Exit);
        using var after = JsonDocument.Parse(CliRunner.Run("runs", "list", "--store", store, "--json").Out);
        Assert.Equal(1, after.RootElement.GetArrayLength());
    }

    [Fact]
    public void Runs_UnknownOrAmbiguousPrefix_IsUsageError()
    {
        string store = Path.Combine(CliRunner.TempDir(), "runs.db");
        Assert.Equal(0, CliRunner.Run(Train(store)).Exit);
        Assert.Equal(0, CliRunner.Run(Train(store)).Exit);
        var none = CliRunner.Run("runs", "show", "ZZZZ", "--store", store);
        Assert.Equal(2, none.Exit);
        Assert.StartsWith("error: no run in", none.Err);
        var ambiguous = CliRunner.Run("runs", "show", "0", "--store", store);
        Assert.Equal(2, ambiguous.Exit);
        Assert.Contains("is ambiguous", ambiguous.Err);
    }

    [Fact]
    public void Rerun_RepeatsTheRunExactly()
    {
        string store = Path.Combine(CliRunner.TempDir(), "runs.db");
        Assert.Equal(0, CliRunner.Run(Train(store, "--name", "orig")).Exit);
        using var first = JsonDocument.Parse(CliRunner.Run("runs", "list", "--store", store, "--json").Out);
        string id = first.RootElement[0].GetProperty("id").GetString()!;
        Assert.Equal(0, CliRunner.Run("runs", "rerun", id, "--store", store).Exit);
        using var both = JsonDocument.Parse(CliRunner.Run("runs", "list", "--store", store, "--json").Out);
        var rerun = both.RootElement[0];
        Assert.Contains("rerun-of:" + id, rerun.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(both.RootElement[1].GetProperty("loss").GetDouble(), rerun.GetProperty("loss").GetDouble());
    }

    [Fact]
    public void Train_StoreInUnwritableFolder_WarnsOnce_AndStillSucceeds()
    {
        string store = Path.Combine(CliRunner.TempDir(), "missing", "runs.db");
        var result = CliRunner.Run(Train(store));
        Assert.Equal(0, result.Exit);
        Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("warning: not recording the run", StringComparison.Ordinal));
        Assert.Contains("test split", result.Out);
    }

    [Fact]
    public void Train_CorruptStore_WarnsAndKeepsTheOtherOutputs()
    {
        string dir = CliRunner.TempDir();
        string store = Path.Combine(dir, "runs.db");
        File.WriteAllText(store, new string('x', 4096));
        var result = CliRunner.Run(Train(store, "--save", Path.Combine(dir, "m.safetensors")));
        Assert.Equal(0, result.Exit);
        Assert.Contains("not a SQLite database or is corrupt", result.Err);
        Assert.True(File.Exists(Path.Combine(dir, "m.safetensors")));
    }
}
