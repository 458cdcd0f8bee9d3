using System.Globalization;
using System.Text.Json;
using Gradscope.Tests.Data;

namespace Gradscope.Cli.Tests;

/// <summary>
/// Sequence tasks and files used off the README's path: a regression task inspected, a dense
/// network saved on a sequence task and read again, label shapes that fit neither form.
/// </summary>
public sealed class SequenceReviewTests
{
    private const string Rnn = """{"layers": [{"type": "rnn", "module": "rnn", "hidden": 8, "activation": "tanh"}], "output": {"units": 1, "module": "head"}}""";

    [Fact]
    public void Inspect_RegressionTask_NamesMeanSquaredErrorInTextAndSpec()
    {
        string dir = CliRunner.TempDir();
        string spec = Write(dir, "rnn.json", Rnn), model = Path.Combine(dir, "rnn.safetensors");
        var (trained, _, trainError) = CliRunner.Run("train", "--data", "adding", "--seq-len", "10", "--samples", "64", "--model-spec", spec, "--max-steps", "2", "--save", model, "--no-store");
        Assert.True(trained == 0, trainError);

        var (exit, text, error) = CliRunner.Run("inspect", "--model", model, "--data", "adding", "--samples", "32");
        var (jsonExit, json, jsonError) = CliRunner.Run("inspect", "--model", model, "--data", "adding", "--samples", "32", "--json");

        // The pass computes the mean squared error against the targets; the text and the spec must say so.
        Assert.True(exit == 0, error);
        Assert.Contains("loss (mean squared error)", text);
        Assert.DoesNotContain("cross-entropy", text);
        Assert.True(jsonExit == 0, jsonError);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("mse", doc.RootElement.GetProperty("spec").GetProperty("loss").GetString());
    }

    [Fact]
    public void Inspect_DenseNetworkSavedOnAShortAddingTask_ReadsTheLengthFromTheFile()
    {
        string dir = CliRunner.TempDir();
        string model = Path.Combine(dir, "dense.safetensors");
        var (trained, _, trainError) = CliRunner.Run("train", "--data", "adding", "--seq-len", "8", "--samples", "64", "--layers", "16", "--max-steps", "2", "--save", model, "--no-store");
        Assert.True(trained == 0, trainError);

        // As for a recurrent model, the task's length is the file's: no --seq-len needed.
        var (exit, output, error) = CliRunner.Run("inspect", "--model", model, "--data", "adding", "--samples", "32");
        var (diagnosed, _, diagnoseError) = CliRunner.Run("diagnose", "--model", model, "--data", "adding", "--samples", "32", "--steps", "2", "--no-store");

        Assert.True(exit == 0, error);
        Assert.Contains("network 16-16-1", output);
        Assert.True(diagnosed is 0 or 1, diagnoseError);
        Assert.DoesNotContain("Shape mismatch", diagnoseError);
    }

    [Fact]
    public void Train_LabelsPerStepOfTheWrongLength_OffersBothShapes()
    {
        const int N = 20, T = 5, F = 2;
        string path = Path.Combine(CliRunner.TempDir(), "short.npz");
        File.WriteAllBytes(path, NpzTestWriter.Zip(
            false,
            ("x.npy", NpzTestWriter.Npy("<f4", [N, T, F], NpzTestWriter.Float32(new float[N * T * F]))),
            ("y.npy", NpzTestWriter.Npy("<i8", [N, T - 1], NpzTestWriter.Int64(new long[N * (T - 1)])))));

        var (exit, _, error) = CliRunner.Run("train", "--data", path, "--layers", "4", "--epochs", "1", "--no-store");

        // y [N, T] is as valid as y [N]: the message must not send the user to [N] alone.
        Assert.Equal(1, exit);
        Assert.Contains("short.npz", error);
        Assert.Contains($"[{N}, {T}] (one per step)", error);
    }

    [Fact]
    public void DiagnoseTrace_RecurrentRun_SaysTheGradientThroughTimeWasNotJudged()
    {
        string dir = CliRunner.TempDir();
        string spec = Write(dir, "rnn.json", Rnn), trace = Path.Combine(dir, "run.jsonl");
        var (trained, _, trainError) = CliRunner.Run("train", "--data", "adding", "--seq-len", "10", "--samples", "64", "--model-spec", spec, "--max-steps", "3", "--trace", trace, "--no-store");
        Assert.True(trained == 0, trainError);

        var (exit, output, error) = CliRunner.Run("diagnose", "--trace", trace, "--no-store");

        // The trace has no gradient through time: its diagnosis must not pass the recurrent layer as judged.
        Assert.True(exit is 0 or 1, error);
        Assert.Contains("the trace holds no gradient through time for layer 1 (rnn)", output);
    }

    [Fact]
    public void DiagnoseTrace_RnnThatTrainFoundVanishingThroughTime_ReportsTheRecordedFindingAndExitsOne()
    {
        string dir = CliRunner.TempDir();
        string spec = Write(dir, "rnn.json", Rnn), trace = Path.Combine(dir, "run.jsonl");
        var (trained, _, trainError) = CliRunner.Run("train", "--data", "adding", "--seq-len", "50", "--samples", "256", "--model-spec", spec,
            "--max-steps", "20", "--optimizer", "adam", "--lr", "0.01", "--trace", trace, "--json", "--no-store");
        Assert.True(trained == 0, trainError);

        var (exit, output, error) = CliRunner.Run("diagnose", "--trace", trace, "--json", "--no-store");

        // The same run, diagnosed from its trace, must not turn train's error into "healthy".
        Assert.True(exit == 1, output + error);
        using var doc = JsonDocument.Parse(output);
        Assert.False(doc.RootElement.GetProperty("healthy").GetBoolean());
        var finding = doc.RootElement.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("kind").GetString() == "VanishingThroughTime");
        Assert.Equal("rnn", finding.GetProperty("layers")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void Inspect_CopyModelOnTheAddingTask_NamesTheTaskTheModelWasTrainedOn()
    {
        string model = TrainedCopyModel(seqLen: 6);

        var (exit, _, error) = CliRunner.Run("inspect", "--model", model, "--data", "adding", "--samples", "16");

        Assert.Equal(1, exit);
        Assert.Contains("the data has 2 features per step but the model expects 10, trained on copy sequences of 26 steps x 10 features", error);
    }

    [Fact]
    public void Inspect_ShortCopyModelOnTheAddingTask_DoesNotPassCopysLengthToAdding()
    {
        string model = TrainedCopyModel(seqLen: 2);

        var (exit, _, error) = CliRunner.Run("inspect", "--model", model, "--data", "adding", "--samples", "16");

        // The user gave no length; copy's T = 2 is not adding's, so the refusal is the features, not "T of at least 6; got 2".
        Assert.Equal(1, exit);
        Assert.DoesNotContain("got 2", error);
        Assert.Contains("the data has 2 features per step but the model expects 10", error);
    }

    [Theory]
    [InlineData("train", "adding", "3")]
    [InlineData("train", "temporal-order", "1")]
    [InlineData("inspect", "adding", "5")]
    public void SeqLen_BelowTheTasksMinimum_IsUsageNamingTheOption(string command, string task, string length)
    {
        string dir = CliRunner.TempDir();
        string spec = Write(dir, "rnn.json", Rnn), model = Path.Combine(dir, "rnn.safetensors");
        string[] args = command == "train"
            ? ["train", "--data", task, "--seq-len", length, "--model-spec", spec, "--max-steps", "1", "--no-store"]
            : ["inspect", "--model", TrainedRnn(dir, spec, model), "--data", task, "--seq-len", length];

        var (exit, _, error) = CliRunner.Run(args);

        Assert.Equal(2, exit);
        Assert.StartsWith($"error: --seq-len {length}: The ", error, StringComparison.Ordinal);
    }

    private static string TrainedRnn(string dir, string spec, string model)
    {
        var (trained, _, trainError) = CliRunner.Run("train", "--data", "adding", "--seq-len", "8", "--samples", "16", "--model-spec", spec, "--max-steps", "1", "--save", model, "--no-store");
        Assert.True(trained == 0, trainError);
        return model;
    }

    private static string Write(string dir, string name, string text)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    // A one-step GRU(all) model of the copy task at length seqLen, saved in a temporary folder.
    private static string TrainedCopyModel(int seqLen)
    {
        string dir = CliRunner.TempDir();
        string spec = Write(dir, "gru.json", """{"layers": [{"type": "gru", "module": "rnn", "hidden": 4, "sequence": "all"}]}"""), model = Path.Combine(dir, "copy.safetensors");
        var (trained, _, trainError) = CliRunner.Run("train", "--data", "copy", "--seq-len", seqLen.ToString(CultureInfo.InvariantCulture), "--samples", "16", "--model-spec", spec, "--max-steps", "1", "--save", model, "--no-store");
        Assert.True(trained == 0, trainError);
        return model;
    }
}
