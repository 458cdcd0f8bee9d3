using System.Text.Json;

namespace Gradscope.Cli.Tests.Runs;

/// <summary>demo, diagnose (with its fix trials) and train's JSON record their runs in the store.</summary>
public sealed class RecordingCommandsTests
{
    private static readonly string[] SmallDemo = ["demo", "--layers", "3x8", "--epochs", "1"];

    private static JsonElement List(string store, params string[] extra)
    {
        var list = CliRunner.Run(["runs", "list", "--store", store, "--json", .. extra]);
        Assert.True(list.Exit == 0, list.Err);
        Assert.DoesNotContain("\\u002B", list.Out);
        using var doc = JsonDocument.Parse(list.Out);
        return doc.RootElement.Clone();
    }

    private static IEnumerable<string?> Tags(JsonElement run) => run.GetProperty("tags").EnumerateArray().Select(t => t.GetString());

    [Fact]
    public void Demo_StoresItsThreeRunsTaggedDemo()
    {
        string store = Path.Combine(CliRunner.TempDir(), "runs.db");
        var demo = CliRunner.Run([.. SmallDemo, "--store", store, "--tag", "smoke", "--name", "try"]);
        Assert.True(demo.Exit == 0, demo.Err);
        Assert.Contains($"recorded 3 runs in {store}", demo.Out);

        var runs = List(store, "--tag", "demo");
        Assert.Equal(3, runs.GetArrayLength());
        foreach (var run in runs.EnumerateArray())
        {
            Assert.Equal("demo", run.GetProperty("kind").GetString());
            Assert.Equal("completed", run.GetProperty("status").GetString());
            Assert.Contains("smoke", Tags(run));
            Assert.StartsWith("try: ", run.GetProperty("name").GetString());
            Assert.True(run.GetProperty("steps").GetInt32() > 0);
            Assert.Equal("gradscope.run", run.GetProperty("spec").GetProperty("format").GetString());
        }

        var names = runs.EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Contains("try: sigmoid + standard init", names);
        var text = CliRunner.Run("runs", "list", "--store", store, "--tag", "smoke");
        Assert.Contains("3 runs in", text.Out);
    }

    [Fact]
    public void Demo_NoStore_RecordsNothing()
    {
        var demo = CliRunner.Run([.. SmallDemo, "--no-store"]);
        Assert.True(demo.Exit == 0, demo.Err);
        Assert.DoesNotContain("recorded", demo.Out);
    }

    // The default store is gradscope.db in the working directory; one that cannot be written
    // (here: a folder that does not exist, since tests run as any user) costs one warning for all three runs.
    [Fact]
    public void Demo_UnwritableStore_WarnsOnce_AndGoesOn()
    {
        string store = Path.Combine(CliRunner.TempDir(), "missing", "gradscope.db");
        var demo = CliRunner.Run([.. SmallDemo, "--store", store]);
        Assert.True(demo.Exit == 0, demo.Err);
        Assert.Single(demo.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("warning: not recording the run", StringComparison.Ordinal));
        Assert.Contains("verdict", demo.Out, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(store));
    }

    [Fact]
    public void Diagnose_TryFixes_StoresTheDiagnosisAndEachTrialAsItsChild()
    {
        string dir = CliRunner.TempDir();
        string store = Path.Combine(dir, "runs.db");
        string model = Path.Combine(dir, "sig.safetensors");
        var train = CliRunner.Run("train", "--layers", "15x16", "--activation", "sigmoid", "--init", "standard", "--epochs", "1", "--save", model, "--no-store");
        Assert.True(train.Exit == 0, train.Err);

        var diagnose = CliRunner.Run("diagnose", "--model", model, "--data", "spiral", "--steps", "40", "--try-fixes", "--max-fixes", "2", "--store", store, "--tag", "ci");
        Assert.True(diagnose.Exit == 1, diagnose.Err);
        Assert.Contains($"recorded 3 runs in {store}", diagnose.Out);

        var runs = List(store).EnumerateArray().ToList();
        Assert.Equal(3, runs.Count);
        var parent = Assert.Single(runs, r => r.GetProperty("kind").GetString() == "diagnose");
        string parentId = parent.GetProperty("id").GetString()!;
        Assert.Equal(JsonValueKind.Null, parent.GetProperty("parent").ValueKind);
        var children = runs.Where(r => r.GetProperty("kind").GetString() == "fix-trial").ToList();
        Assert.Equal(2, children.Count);
        Assert.All(children, c => Assert.Equal(parentId, c.GetProperty("parent").GetString()));
        Assert.All(runs, r => Assert.Contains("ci", Tags(r)));
        Assert.Contains(children, c => Tags(c).Contains("relu-he"));
        Assert.All(children, c => Assert.True(c.GetProperty("steps").GetInt32() > 0));

        var list = CliRunner.Run("runs", "list", "--store", store);
        Assert.Contains("fix-trial", list.Out);
    }

    [Fact]
    public void Train_Json_NamesTheRecordedRun()
    {
        string store = Path.Combine(CliRunner.TempDir(), "runs.db");
        var train = CliRunner.Run("train", "--layers", "3x8", "--samples", "60", "--epochs", "1", "--store", store, "--json");
        Assert.True(train.Exit == 0, train.Err);
        Assert.DoesNotContain("\\u002B", train.Out);
        using var doc = JsonDocument.Parse(train.Out);
        string id = doc.RootElement.GetProperty("run_id").GetString()!;
        Assert.Equal(id, List(store)[0].GetProperty("id").GetString());

        var unrecorded = CliRunner.Run("train", "--layers", "3x8", "--samples", "60", "--epochs", "1", "--no-store", "--json");
        using var none = JsonDocument.Parse(unrecorded.Out);
        Assert.Equal(JsonValueKind.Null, none.RootElement.GetProperty("run_id").ValueKind);
    }

    [Fact]
    public void Train_MonitorOff_IsStoredWhenItEnds()
    {
        string store = Path.Combine(CliRunner.TempDir(), "runs.db");
        var train = CliRunner.Run("train", "--layers", "3x8", "--samples", "60", "--epochs", "1", "--monitor", "off", "--store", store);
        Assert.True(train.Exit == 0, train.Err);
        var run = Assert.Single(List(store).EnumerateArray());
        Assert.Equal("completed", run.GetProperty("status").GetString());
        Assert.Equal(0, run.GetProperty("steps").GetInt32());
        Assert.InRange(run.GetProperty("train_accuracy").GetDouble(), 0.0, 1.0);
    }

    [Fact]
    public void Demo_Report_NamesTheRunsByTheirStoreIds()
    {
        string dir = CliRunner.TempDir();
        string store = Path.Combine(dir, "runs.db");
        string html = Path.Combine(dir, "demo.html");
        var demo = CliRunner.Run([.. SmallDemo, "--store", store, "--report", html]);
        Assert.True(demo.Exit == 0, demo.Err);
        using var list = System.Text.Json.JsonDocument.Parse(CliRunner.Run("runs", "list", "--store", store, "--json").Out);
        string page = File.ReadAllText(html);
        Assert.Equal(3, list.RootElement.GetArrayLength());
        foreach (var run in list.RootElement.EnumerateArray())
            Assert.Contains(run.GetProperty("id").GetString()!, page);
    }
}
