using System.Text.Json;
using Gradscope.Serialization.Safetensors;
using Gradscope.Tests.Data;

namespace Gradscope.Cli.Tests;

/// <summary>Sequence files (<c>x [N, T, F]</c>, <c>y [N]</c>) through train, inspect and diagnose, as the built-in sequence tasks go.</summary>
public sealed class SequenceFileCommandTests
{
    private const int Count = 64, Steps = 6, Features = 3;
    private const string Lstm = """{"layers": [{"type": "lstm", "module": "rnn", "hidden": 8, "sequence": "last"}], "output": {"module": "head"}}""";

    [Fact]
    public void Train_NpzSequencesWithLstmSpec_TrainsSavesInspectsAndDiagnoses()
    {
        string dir = CliRunner.TempDir();
        string data = WriteSequences(Path.Combine(dir, "seq.npz"), Count, Steps);
        string spec = Path.Combine(dir, "lstm.json"), model = Path.Combine(dir, "m.safetensors");
        File.WriteAllText(spec, Lstm);

        var (trained, output, trainError) = CliRunner.Run("train", "--data", data, "--model-spec", spec, "--epochs", "2", "--save", model);
        Assert.True(trained == 0, trainError);
        Assert.Contains($"sequences of {Steps} steps x {Features} features", output);

        var (inspected, json, inspectError) = CliRunner.Run("inspect", "--model", model, "--data", data, "--json");
        Assert.True(inspected == 0, inspectError);
        using var doc = JsonDocument.Parse(json);
        Assert.True(doc.RootElement.GetProperty("loss").GetDouble() > 0);
        Assert.Contains("rnn.weight_ih_l0", json);

        var (diagnosed, _, diagnoseError) = CliRunner.Run("diagnose", "--model", model, "--data", data, "--steps", "5");
        Assert.True(diagnosed is 0 or 1, diagnoseError);
        Assert.DoesNotContain("   at ", diagnoseError);
    }

    [Fact]
    public void Inspect_GradOut_WritesEveryTensorsGradientWithTheNormsTheJsonReports()
    {
        string dir = CliRunner.TempDir();
        string data = WriteSequences(Path.Combine(dir, "seq.npz"), Count, Steps);
        string spec = Path.Combine(dir, "lstm.json"), model = Path.Combine(dir, "m.safetensors"), grads = Path.Combine(dir, "grads.safetensors");
        File.WriteAllText(spec, Lstm);
        var (trained, _, trainError) = CliRunner.Run("train", "--data", data, "--model-spec", spec, "--epochs", "1", "--save", model);
        Assert.True(trained == 0, trainError);

        var (exit, json, error) = CliRunner.Run("inspect", "--model", model, "--data", data, "--json", "--dtype", "float64", "--grad-out", grads);

        Assert.True(exit == 0, error);
        var file = SafetensorsFile.Read(grads);
        using var doc = JsonDocument.Parse(json);
        var names = new List<string>();
        foreach (var parameter in doc.RootElement.GetProperty("parameters").EnumerateArray())
        {
            string name = parameter.GetProperty("name").GetString()!;
            names.Add(name);
            Assert.True(file.TryGet(name, out var tensor), name);
            double sum = 0;
            foreach (double v in tensor!.Values)
                sum += v * v;
            Assert.Equal(parameter.GetProperty("grad_norm").GetDouble(), Math.Sqrt(sum), 12);
        }

        Assert.Equal(["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "head.weight", "head.bias"], names);
        Assert.True(file.TryGet("rnn.weight_ih_l0", out var ih));
        Assert.Equal([32, Features], ih!.Shape);
    }

    [Fact]
    public void Inspect_GradOutInAMissingFolder_ExitsTwoNamingTheOption()
    {
        string dir = CliRunner.TempDir();
        string data = WriteSequences(Path.Combine(dir, "seq.npz"), Count, Steps);
        string model = Path.Combine(dir, "m.safetensors");
        var (trained, _, trainError) = CliRunner.Run("train", "--data", data, "--layers", "1x4", "--epochs", "1", "--save", model);
        Assert.True(trained == 0, trainError);

        var (exit, _, error) = CliRunner.Run("inspect", "--model", model, "--data", data, "--grad-out", Path.Combine(dir, "no", "g.safetensors"));

        Assert.Equal(2, exit);
        Assert.Contains("--grad-out", error);
    }

    [Fact]
    public void Train_SafetensorsSequencesWithRnnSpec_Trains()
    {
        string dir = CliRunner.TempDir();
        string data = Path.Combine(dir, "seq.safetensors");
        var (x, y) = Sequences(Count, Steps);
        var labels = Array.ConvertAll(y, v => (double)v);
        SafetensorsFile.Write(data, [new SafetensorsTensor("x", "F64", [Count, Steps, Features], Array.ConvertAll(x, v => (double)v)), new SafetensorsTensor("y", "I64", [Count], labels)], null);
        string spec = Path.Combine(dir, "rnn.json");
        File.WriteAllText(spec, """{"layers": [{"type": "rnn", "hidden": 8}]}""");

        var (exit, output, error) = CliRunner.Run("train", "--data", data, "--model-spec", spec, "--epochs", "1", "--json");

        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(1, doc.RootElement.GetProperty("epochs").GetArrayLength());
    }

    [Fact]
    public void Train_NpzSequencesDenseNetwork_ReadsEachSequenceFlat()
    {
        string dir = CliRunner.TempDir();
        string data = WriteSequences(Path.Combine(dir, "seq.npz"), Count, Steps);

        var (exit, output, error) = CliRunner.Run("train", "--data", data, "--layers", "1x8", "--epochs", "1");

        Assert.True(exit == 0, error);
        Assert.Contains($"network {Steps * Features}-8-2", output);
    }

    [Fact]
    public void Train_NpzSequencesWithLabelCountMismatch_ExitsOneNamingTheFile()
    {
        string dir = CliRunner.TempDir();
        string data = WriteSequences(Path.Combine(dir, "seq.npz"), Count, Steps, labels: Count - 1);
        string spec = Path.Combine(dir, "lstm.json");
        File.WriteAllText(spec, Lstm);

        var (exit, _, error) = CliRunner.Run("train", "--data", data, "--model-spec", spec, "--epochs", "1");

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: {data}: y has shape [{Count - 1}] but x has shape [{Count}, {Steps}, {Features}]; y must be [{Count}] (one label per sequence) or [{Count}, {Steps}] (one per step).", error);
    }

    [Fact]
    public void Inspect_DenseModelOnSequencesOfAnotherLength_ExitsOneNamingTheSequenceShape()
    {
        string dir = CliRunner.TempDir();
        string trainData = WriteSequences(Path.Combine(dir, "t6.npz"), Count, Steps);
        string otherData = WriteSequences(Path.Combine(dir, "t4.npz"), Count, 4);
        string model = Path.Combine(dir, "m.safetensors");
        var (trained, _, trainError) = CliRunner.Run("train", "--data", trainData, "--layers", "1x8", "--epochs", "1", "--save", model);
        Assert.True(trained == 0, trainError);

        var (exit, _, error) = CliRunner.Run("inspect", "--model", model, "--data", otherData);

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: Shape mismatch: the data has sequences of 4 steps x {Features} features ({4 * Features} values per row) but the model expects {Steps * Features} inputs, trained on sequences of {Steps} steps x {Features} features (data {otherData}, model {model}).", error);
    }

    [Fact]
    public void Train_SequenceTaskSameSeed_GivesTheSameFreshDrawsEveryRun()
    {
        string[] args = ["train", "--data", "temporal-order", "--seq-len", "10", "--samples", "64", "--layers", "1x8", "--epochs", "3", "--seed", "4", "--json", "--no-store"];

        var (exitA, outputA, errorA) = CliRunner.Run(args);
        var (exitB, outputB, _) = CliRunner.Run(args);

        Assert.True(exitA == 0, errorA);
        Assert.Equal(0, exitB);
        Assert.Equal(Epochs(outputA), Epochs(outputB));
    }

    [Fact]
    public void Train_SequenceTask_HeaderSaysTheTrainingRowsAreFreshEachEpoch()
    {
        var (exit, output, error) = CliRunner.Run("train", "--data", "temporal-order", "--seq-len", "10", "--samples", "100", "--layers", "1x4", "--epochs", "1", "--no-store");

        Assert.True(exit == 0, error);
        Assert.Contains("temporal-order: 100 train (fresh each epoch) / 20 test split rows", output);
    }

    private static string Epochs(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("epochs").GetRawText();
    }

    private static string WriteSequences(string path, int count, int steps, int? labels = null)
    {
        var (x, y) = Sequences(count, steps);
        File.WriteAllBytes(path, NpzTestWriter.Zip(
            false,
            ("x.npy", NpzTestWriter.Npy("<f4", [count, steps, Features], NpzTestWriter.Float32(x))),
            ("y.npy", NpzTestWriter.Npy("<i8", [labels ?? count], NpzTestWriter.Int64(y[..(labels ?? count)])))));
        return path;
    }

    // Class 1 when the first step's first feature is positive: a many-to-one task an LSTM can learn.
    private static (float[] X, long[] Y) Sequences(int count, int steps)
    {
        var rng = new Random(7);
        var x = new float[count * steps * Features];
        var y = new long[count];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)((rng.NextDouble() * 2) - 1);
        for (int n = 0; n < count; n++)
            y[n] = x[n * steps * Features] > 0 ? 1 : 0;
        return (x, y);
    }
}
