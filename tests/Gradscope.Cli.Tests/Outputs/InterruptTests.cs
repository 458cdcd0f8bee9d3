using Gradscope.Serialization;
using Gradscope.Serialization.Safetensors;
using Gradscope.TestSupport;

namespace Gradscope.Cli.Tests.Outputs;

/// <summary>
/// Signals sent to a real child process: the first Ctrl-C keeps what exists, a second one quits at
/// once, and neither (nor SIGKILL, once the next run has cleaned up) leaves temporary files.
/// </summary>
public sealed class InterruptTests
{
    // Long enough that only a signal ends it; an epoch is 2 steps, so the first epoch line comes at once.
    private static readonly string[] LongTrain = ["train", "--layers", "3x32", "--samples", "40", "--batch-size", "16", "--epochs", "100000"];

    // A float64 model of about 57 MB, so writing it takes long enough to be caught in the act.
    private static readonly string[] BigModel = ["train", "--layers", "3x1536", "--dtype", "float64", "--samples", "40", "--batch-size", "16"];

    [UnixFact]
    public void Train_Sigint_KeepsTraceSummaryAndInterruptedModel_Exits130()
    {
        string dir = CliRunner.TempDir();
        using var cli = CliProcess.Start(dir, [.. LongTrain, "--trace", "t.jsonl", "--save", "m.safetensors"]);
        Assert.True(cli.WaitForOutput("epoch "), cli.Err);
        cli.Signal("INT");
        int exit = cli.WaitForExit();

        Assert.True(exit == 130, $"exit {exit}: {cli.Err}");
        Assert.StartsWith("interrupted: stopping after the current step", cli.Err);
        Assert.Contains("interrupted: Training was interrupted after", cli.Out);
        Assert.Contains("findings of the interrupted run", cli.Out);
        Assert.Matches(@"\| train +\| +\d+ \|", cli.Out);
        var model = SafetensorsFile.Read(Path.Combine(dir, "m.safetensors"));
        Assert.Equal("true", model.Metadata[ModelFile.InterruptedKey]);
        var trace = File.ReadAllLines(Path.Combine(dir, "t.jsonl"));
        Assert.StartsWith("{\"type\":\"header\"", trace[0]);
        Assert.Contains(trace, line => line.StartsWith("{\"type\":\"step\"", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [UnixFact]
    public void Train_Sigterm_KeepsWhatExists_Exits143()
    {
        string dir = CliRunner.TempDir();
        using var cli = CliProcess.Start(dir, [.. LongTrain, "--save", "m.safetensors"]);
        Assert.True(cli.WaitForOutput("epoch "), cli.Err);
        cli.Signal("TERM");
        int exit = cli.WaitForExit();

        Assert.True(exit == 143, $"exit {exit}: {cli.Err}");
        Assert.StartsWith("terminated: stopping after the current step", cli.Err);
        Assert.Contains("(marked \"gradscope.interrupted\": \"true\")", cli.Out);
        Assert.Equal("true", SafetensorsFile.Read(Path.Combine(dir, "m.safetensors")).Metadata[ModelFile.InterruptedKey]);
    }

    [UnixFact]
    public void Train_SecondSigintDuringTheSave_QuitsAtOnce_WithoutTemporaryFiles()
    {
        string dir = CliRunner.TempDir();
        using var cli = CliProcess.Start(dir, [.. BigModel, "--epochs", "100000", "--save", "m.safetensors"]);
        Assert.True(cli.WaitForOutput("epoch "), cli.Err);
        cli.Signal("INT");
        Assert.True(cli.WaitFor(() => Directory.GetFiles(dir, ".m.safetensors.*.tmp").Length > 0), "the save never started: " + cli.Err);
        bool caughtInTheWrite = cli.TrySignal("INT");
        int exit = cli.WaitForExit();

        Assert.Equal(130, exit);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        if (caughtInTheWrite)
            Assert.DoesNotContain("findings", cli.Out);
    }

    [UnixFact]
    public void Train_KilledDuringTheSave_LeavesATemporaryFileThatTheNextWriteRemoves()
    {
        string dir = CliRunner.TempDir();
        using (var cli = CliProcess.Start(dir, [.. BigModel, "--epochs", "1", "--save", "m.safetensors"]))
        {
            Assert.True(cli.WaitFor(() => Directory.GetFiles(dir, ".m.safetensors.*.tmp").Length > 0), "the save never started: " + cli.Err);
            cli.Signal("KILL");
            Assert.Equal(137, cli.WaitForExit());
        }

        // SIGKILL cannot be handled: the half-written file stays until the next write into the folder.
        Assert.Single(Directory.GetFiles(dir, ".m.safetensors.*.tmp"));
        var (exit, _, error) = CliRunner.Run("train", "--layers", "2x8", "--epochs", "1", "--save", Path.Combine(dir, "small.safetensors"));
        Assert.True(exit == 0, error);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }
}
