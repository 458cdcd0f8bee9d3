using System.Text.Json;
using Gradscope.Cli.Commands.Sweeps;

namespace Gradscope.Cli.Tests.Sweeps;

public sealed class WorkerUsageTests
{
    [Fact]
    public void Worker_OnASqliteStore_IsUsage_SayingWhy()
    {
        string store = SweepTestStore.NewStore();
        var (exit, _, err) = CliRunner.Run("worker", "--store", store);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: gradscope worker needs a PostgreSQL store", err);
        Assert.Contains("cannot be shared by machines", err);
        Assert.False(File.Exists(store));
    }

    [Fact]
    public void SweepRunEnqueue_OnASqliteStore_IsUsage_AndRecordsNothing()
    {
        string store = SweepTestStore.NewStore();
        var (exit, _, err) = SweepTestStore.Run(store, "--name", "e", "--enqueue");
        Assert.Equal(2, exit);
        Assert.StartsWith("error: sweep run --enqueue needs a PostgreSQL store", err);
        Assert.False(File.Exists(store));
    }

    [Theory]
    [InlineData(new[] { "--lease", "5x" }, "--lease '5x' is not a duration")]
    [InlineData(new[] { "--lease", "s" }, "--lease 's' is not a duration")]
    [InlineData(new[] { "--lease", "500ms" }, "--lease '500ms' is too short: at least 1s")]
    [InlineData(new[] { "--idle-exit", "-1s" }, "--idle-exit '-1s' is not a duration")]
    [InlineData(new[] { "--idle-exit", "1d" }, "--idle-exit '1d' is not a duration")]
    [InlineData(new[] { "--parallel", "0" }, "--parallel must be from 1 to 1024")]
    [InlineData(new[] { "--max-trials", "0" }, "--max-trials must be at least 1")]
    [InlineData(new[] { "--max-attempts", "0" }, "--max-attempts must be at least 1")]
    [InlineData(new[] { "--sweep", " " }, "--sweep must not be empty")]
    public void Worker_BadOption_IsUsage_NamingIt(string[] args, string expected)
    {
        var (exit, _, err) = CliRunner.Run(["worker", "--store", "postgres://nobody@127.0.0.1:1/none", .. args]);
        Assert.Equal(2, exit);
        Assert.Contains(expected, err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Worker_StoreUnreachableAtStart_ExitsOneAtOnce_WithOneErrorLine()
    {
        // Nothing listens on port 1: before, the worker printed a retry warning every few seconds
        // for its whole 10-minute retry budget instead of saying the store cannot be reached.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (exit, _, err) = CliRunner.Run("worker", "--store", "postgres://nobody@127.0.0.1:1/none", "--idle-exit", "1s");
        Assert.Equal(1, exit);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        string[] errors = [.. err.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => line.StartsWith("error:", StringComparison.Ordinal))];
        Assert.Single(errors);
        Assert.StartsWith("error: cannot reach the PostgreSQL run store 'postgres://nobody@127.0.0.1:1/none'", errors[0]);
        Assert.DoesNotContain("retrying", err);
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("1.5m", 90)]
    [InlineData("1h", 3600)]
    [InlineData(" 0s ", 0)]
    public void Durations_Parse_NumberAndUnit(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text, "--x", TimeSpan.Zero));

    [Fact]
    public void SweepStatus_OnSqlite_CountsTheTrials_AndAnUnknownSweepIsUsage()
    {
        string store = SweepTestStore.NewStore();
        Assert.Equal(0, SweepTestStore.Run(store, "--name", "st", "--activation", "tanh,relu", "--parallel", "1").Exit);
        var (exit, json, _) = CliRunner.Run("sweep", "status", "st", "--store", store, "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(("st", 2, 2, 0), (root.GetProperty("name").GetString(), root.GetProperty("trials").GetProperty("total").GetInt32(),
            root.GetProperty("trials").GetProperty("done").GetInt32(), root.GetProperty("running").GetArrayLength()));
        Assert.True(root.GetProperty("trials_per_minute").GetDouble() > 0);
        Assert.Equal(0, root.GetProperty("eta_seconds").GetDouble());
        var (plainExit, plain, _) = CliRunner.Run("sweep", "status", "st", "--store", store);
        Assert.Equal(0, plainExit);
        Assert.StartsWith("sweep st: 0 queued, 0 running, 2 done, 0 failed", plain);
        (exit, _, var err) = CliRunner.Run("sweep", "status", "nope", "--store", store);
        Assert.Equal(2, exit);
        Assert.Contains("no sweep 'nope'", err);
    }
}
