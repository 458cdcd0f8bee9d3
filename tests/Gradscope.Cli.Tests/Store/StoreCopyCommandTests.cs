using Gradscope.Lab.Store;
using Gradscope.TestSupport;

namespace Gradscope.Cli.Tests.Store;

public sealed class StoreCopyCommandTests
{
    [Fact]
    public void StoreCopy_SameStoreTwice_IsAUsageError()
    {
        string store = Path.Combine(CliRunner.TempDir(), "a.db");
        Assert.Equal(0, CliRunner.Run("train", "--data", "xor", "--layers", "2x4", "--epochs", "1", "--store", store).Exit);

        var (exit, _, err) = CliRunner.Run("store", "copy", store, Path.Combine(Path.GetDirectoryName(store)!, ".", "a.db"));

        Assert.Equal(2, exit);
        Assert.StartsWith("error: FROM and TO are the same store", err, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreCopy_MissingFrom_FailsAndCreatesNeither()
    {
        string folder = CliRunner.TempDir();
        string from = Path.Combine(folder, "none.db");
        string to = Path.Combine(folder, "to.db");

        var (exit, _, err) = CliRunner.Run("store", "copy", from, to);

        Assert.Equal(1, exit);
        Assert.Contains($"run store '{from}' does not exist", err, StringComparison.Ordinal);
        Assert.False(File.Exists(from));
        Assert.False(File.Exists(to));
    }

    [Fact]
    public void StoreCopy_ToInAMissingFolderOrAFolder_IsAUsageErrorNamingIt()
    {
        string folder = CliRunner.TempDir();
        string from = Path.Combine(folder, "a.db");
        Assert.Equal(0, CliRunner.Run("train", "--data", "xor", "--layers", "2x4", "--epochs", "1", "--store", from).Exit);

        var missing = CliRunner.Run("store", "copy", from, Path.Combine(folder, "nowhere", "b.db"));
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        var isFolder = CliRunner.Run("store", "copy", from, Path.Combine(folder, "sub"));

        Assert.Equal(2, missing.Exit);
        Assert.StartsWith("error: TO '", missing.Err, StringComparison.Ordinal);
        Assert.Contains("does not exist", missing.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("--store", missing.Err, StringComparison.Ordinal);
        Assert.Equal(2, isFolder.Exit);
        Assert.Contains("is a folder", isFolder.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreCopy_UnknownRunOrSweep_IsAUsageError()
    {
        string folder = CliRunner.TempDir();
        string from = Path.Combine(folder, "a.db");
        Assert.Equal(0, CliRunner.Run("train", "--data", "xor", "--layers", "2x4", "--epochs", "1", "--store", from).Exit);

        Assert.Equal(2, CliRunner.Run("store", "copy", from, Path.Combine(folder, "b.db"), "--run", "ZZZZ").Exit);
        var (exit, _, err) = CliRunner.Run("store", "copy", from, Path.Combine(folder, "b.db"), "--sweep", "nope");
        Assert.Equal(2, exit);
        Assert.Contains("no sweep by that name", err, StringComparison.Ordinal);
    }

    [PostgresFact]
    [Trait("Category", "Postgres")]
    public void RunsAndReport_OnACopyInPostgres_AnswerAsOnSqlite()
    {
        string folder = CliRunner.TempDir();
        string sqlite = Path.Combine(folder, "a.db");
        Assert.Equal(0, CliRunner.Run("train", "--data", "spiral", "--layers", "3x8", "--activation", "tanh", "--epochs", "2", "--store", sqlite, "--tag", "x").Exit);
        Assert.Equal(0, CliRunner.Run("train", "--data", "spiral", "--layers", "3x8", "--activation", "sigmoid", "--epochs", "2", "--store", sqlite).Exit);
        using var database = PostgresDatabase.Create();
        var copied = CliRunner.Run("store", "copy", sqlite, database.Url, "--json");
        Assert.Equal(0, copied.Exit);
        Assert.Contains("\"runs_copied\": 2", copied.Out, StringComparison.Ordinal);
        Assert.Contains("\"runs_copied\": 0", CliRunner.Run("store", "copy", sqlite, database.Url, "--json").Out, StringComparison.Ordinal);
        using var opened = RunStore.Open(sqlite);
        var ids = opened.List().Select(r => r.Record.Id).ToArray();
        string pgDisplay = StoreLocation.Parse(database.Url).Display;

        foreach (string[] command in (string[][])[["runs", "list", "--json"], ["runs", "list"], ["runs", "show", ids[0]], ["runs", "compare", ids[0], ids[1]]])
        {
            var onSqlite = CliRunner.Run([.. command, "--store", sqlite]);
            var onPostgres = CliRunner.Run([.. command, "--store", database.Url]);
            Assert.Equal(0, onPostgres.Exit);
            Assert.Equal(onSqlite.Out.Replace(sqlite, "STORE", StringComparison.Ordinal), onPostgres.Out.Replace(pgDisplay, "STORE", StringComparison.Ordinal));
        }

        string csvSqlite = Path.Combine(folder, "s.csv"), csvPostgres = Path.Combine(folder, "p.csv");
        Assert.Equal(0, CliRunner.Run("runs", "export", ids[0], "--format", "csv", "-o", csvSqlite, "--store", sqlite).Exit);
        Assert.Equal(0, CliRunner.Run("runs", "export", ids[0], "--format", "csv", "-o", csvPostgres, "--store", database.Url).Exit);
        Assert.Equal(File.ReadAllBytes(csvSqlite), File.ReadAllBytes(csvPostgres));
        string html = Path.Combine(folder, "r.html");
        var report = CliRunner.Run("report", ids[0], ids[1], "-o", html, "--store", database.Url);
        Assert.True(report.Exit == 0, report.Err);
        Assert.Contains(ids[1], File.ReadAllText(html), StringComparison.Ordinal);
    }
}
