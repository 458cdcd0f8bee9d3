using System.Buffers.Binary;
using System.Text.Json;
using Gradscope.Tests.Data;

namespace Gradscope.Cli.Tests;

/// <summary>
/// Many-to-many and stacked recurrent networks through the ordinary commands: train on the copy
/// task, save, inspect and diagnose the saved file; stacked layers; the refusals that name the
/// layer's "sequence" or a misplaced layer's index.
/// </summary>
public sealed class ManyToManyCommandTests
{
    private const string GruAll = """{"layers": [{"type": "gru", "module": "rnn", "hidden": 16, "sequence": "all"}], "output": {"module": "head"}}""";
    private const string StackedRnn = """{"layers": [{"type": "rnn", "module": "rnn1", "hidden": 16, "sequence": "all"}, {"type": "rnn", "module": "rnn2", "hidden": 16}], "output": {"module": "head"}}""";

    [Fact]
    public void Train_CopyTask_TrainsPerStepAndSavesTheTaskAndLength()
    {
        string dir = CliRunner.TempDir();
        string spec = Write(dir, "gru.json", GruAll), model = Path.Combine(dir, "copy.safetensors");

        var (exit, output, error) = CliRunner.Run("train", "--data", "copy", "--seq-len", "5", "--samples", "256", "--model-spec", spec,
            "--max-steps", "10", "--optimizer", "adam", "--lr", "0.01", "--save", model, "--no-store");

        Assert.True(exit == 0, error);
        Assert.Contains("copy: 256 train (fresh each epoch) / 51 test split rows, sequences of 25 steps x 10 features, 9 classes at every step (accuracy over steps 15..24)", output);
        Assert.Contains("network 25x10-gru16(all)-9", output);
        using var sequence = JsonDocument.Parse(Metadata(model).GetProperty("gradscope.sequence").GetString()!);
        Assert.Equal(25, sequence.RootElement.GetProperty("steps").GetInt32());
        Assert.Equal("copy", sequence.RootElement.GetProperty("task").GetString());
        Assert.Equal(5, sequence.RootElement.GetProperty("length").GetInt32());
    }

    [Fact]
    public void DiagnoseAndInspect_SavedCopyModel_RegenerateTheTaskAtItsLengthAndTryFixes()
    {
        string dir = CliRunner.TempDir();
        string spec = Write(dir, "gru.json", GruAll), model = Path.Combine(dir, "copy.safetensors");
        var (trainExit, _, trainError) = CliRunner.Run("train", "--data", "copy", "--seq-len", "5", "--samples", "128", "--model-spec", spec,
            "--max-steps", "5", "--save", model, "--no-store");
        Assert.True(trainExit == 0, trainError);

        var (exit, output, error) = CliRunner.Run("diagnose", "--model", model, "--data", "copy", "--samples", "128", "--steps", "10", "--try-fixes", "--json", "--no-store");
        var (inspectExit, inspected, inspectError) = CliRunner.Run("inspect", "--model", model, "--data", "copy", "--samples", "64");

        Assert.True(exit is 0 or 1, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(["rnn", "head"], doc.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("name").GetString()));
        var given = doc.RootElement.GetProperty("fixes")[0];
        Assert.Equal(6, given.GetProperty("kept_tensors").GetInt32());
        Assert.InRange(given.GetProperty("accuracy").GetDouble(), 0, 1);
        Assert.True(inspectExit == 0, inspectError);
        Assert.Contains("network 25x10-gru16(all)-9, 64 rows of copy", inspected);
    }

    [Theory]
    [InlineData("copy", """{"layers": [{"type": "lstm", "hidden": 8, "sequence": "last"}]}""", "(layer 1, type lstm) has \"sequence\": \"last\"")]
    [InlineData("copy", """{"layers": [{"type": "dense", "units": 8}]}""", "it has no recurrent layer")]
    [InlineData("adding", """{"layers": [{"type": "lstm", "hidden": 8, "sequence": "all"}]}""", "(layer 1, type lstm) has \"sequence\": \"all\"")]
    public void Train_NetworkOutputNotMatchingTheTask_IsBadDataNamingTheLayersSequence(string task, string json, string expected)
    {
        string spec = Write(CliRunner.TempDir(), "net.json", json);

        var (exit, output, error) = CliRunner.Run("train", "--data", task, "--seq-len", "10", "--samples", "64", "--model-spec", spec, "--max-steps", "1", "--no-store");

        // Refused before the run's header is printed.
        Assert.Equal(1, exit);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("   at ", error);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void TrainAndInspect_StackedLstms_SaveAndNameBothLayersTensors()
    {
        string dir = CliRunner.TempDir();
        string spec = Write(dir, "stacked.json", """{"layers": [{"type": "lstm", "module": "rnn1", "hidden": 8, "sequence": "all"}, {"type": "lstm", "module": "rnn2", "hidden": 8}], "output": {"module": "head"}}""");
        string model = Path.Combine(dir, "stacked.safetensors");

        var (exit, output, error) = CliRunner.Run("train", "--data", "adding", "--seq-len", "12", "--samples", "128", "--model-spec", spec, "--max-steps", "3", "--save", model, "--no-store");
        var (inspectExit, inspected, inspectError) = CliRunner.Run("inspect", "--model", model, "--data", "adding", "--samples", "64", "--json");

        Assert.True(exit == 0, error);
        Assert.Contains("network 12x2-lstm8(all)-lstm8-1", output);
        Assert.True(inspectExit == 0, inspectError);
        using var doc = JsonDocument.Parse(inspected);
        Assert.Equal(["rnn1", "rnn2", "head"], doc.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("name").GetString()));
        Assert.Contains("rnn2.weight_ih_l0", doc.RootElement.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }

    [Fact]
    public void Train_StackedGrusOnCopy_TrainsEveryStep()
    {
        string spec = Write(CliRunner.TempDir(), "stacked.json", """{"layers": [{"type": "gru", "hidden": 8, "sequence": "all"}, {"type": "gru", "hidden": 8, "sequence": "all"}]}""");

        var (exit, output, error) = CliRunner.Run("train", "--data", "copy", "--seq-len", "4", "--samples", "64", "--model-spec", spec, "--max-steps", "2", "--no-store");

        Assert.True(exit == 0, error);
        Assert.Contains("network 24x10-gru8(all)-gru8(all)-9", output);
    }

    [Fact]
    public void Diagnose_SavedStackedRnnOnAddingT50_FindsVanishingThroughTimeInEachRecurrentLayer()
    {
        string dir = CliRunner.TempDir();
        string spec = Write(dir, "stacked.json", StackedRnn), model = Path.Combine(dir, "stacked.safetensors");
        var (trainExit, _, trainError) = CliRunner.Run("train", "--data", "adding", "--seq-len", "50", "--samples", "256", "--model-spec", spec,
            "--max-steps", "20", "--optimizer", "adam", "--lr", "0.01", "--save", model, "--no-store");
        Assert.True(trainExit == 0, trainError);

        var (exit, output, error) = CliRunner.Run("diagnose", "--model", model, "--data", "adding", "--samples", "256", "--steps", "20", "--json", "--no-store");

        Assert.True(exit == 1, error);
        using var doc = JsonDocument.Parse(output);
        var named = doc.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("kind").GetString() == "VanishingThroughTime")
            .Select(f => f.GetProperty("layers")[0].GetProperty("name").GetString())
            .Order();
        Assert.Equal(["rnn1", "rnn2"], named);
    }

    [Theory]
    [InlineData("""{"layers": [{"type": "lstm", "hidden": 8}, {"type": "lstm", "hidden": 8}]}""", "layers[1]: a recurrent layer (lstm) reads every step of the layer before it, but that layer (lstm) has \"sequence\": \"last\"")]
    [InlineData("""{"layers": [{"type": "gru", "hidden": 8, "sequence": "all"}, {"type": "dense", "units": 8}, {"type": "gru", "hidden": 8}]}""", "layers[2]: a recurrent layer (gru) cannot follow a dense layer; recurrent layers come first")]
    public void Train_MisplacedRecurrentLayer_NamesItsIndexAndWhatIsAllowed(string json, string expected)
    {
        string spec = Write(CliRunner.TempDir(), "bad.json", json);

        var (exit, _, error) = CliRunner.Run("train", "--data", "adding", "--seq-len", "10", "--model-spec", spec, "--max-steps", "1", "--no-store");

        Assert.Equal(1, exit);
        Assert.Contains("bad.json: " + expected, error);
    }

    // x [N, 6, 2] uniform in [-1, 1]; y [N, 6]: whether the first feature one step back was positive (0 at step 0).
    private static string StepsFile(string dir)
    {
        const int N = 200, T = 6;
        var rng = new SeededRandom(7);
        var x = new float[N * T * 2];
        for (int i = 0; i < x.Length; i++)
            x[i] = (float)rng.NextUniform(-1, 1);
        var y = new long[N * T];
        for (int i = 0; i < y.Length; i++)
            y[i] = i % T == 0 ? 0 : x[(i - 1) * 2] > 0 ? 1 : 0;
        string path = Path.Combine(dir, "steps.npz");
        File.WriteAllBytes(path, NpzTestWriter.Zip(true, ("x.npy", NpzTestWriter.Npy("<f4", [N, T, 2], NpzTestWriter.Float32(x))), ("y.npy", NpzTestWriter.Npy("<i8", [N, T], NpzTestWriter.Int64(y)))));
        return path;
    }

    [Fact]
    public void TrainAndDiagnose_NpzWithALabelPerStep_LearnsEveryStepAndReadsTheSavedFile()
    {
        string dir = CliRunner.TempDir();
        string data = StepsFile(dir), spec = Write(dir, "gru.json", GruAll), model = Path.Combine(dir, "steps.safetensors");

        var (exit, output, error) = CliRunner.Run("train", "--data", data, "--model-spec", spec, "--epochs", "20", "--optimizer", "adam", "--lr", "0.01", "--save", model, "--json", "--no-store");
        var (diagnoseExit, _, diagnoseError) = CliRunner.Run("diagnose", "--model", model, "--data", data, "--steps", "5", "--no-store");

        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("results")[0].GetProperty("accuracy").GetDouble() > 0.9, output);
        Assert.True(diagnoseExit == 0, diagnoseError);
    }

    [Fact]
    public void Train_NpzWithALabelPerStep_OnADenseNetwork_SaysWhatTheNetworkNeeds()
    {
        string data = StepsFile(CliRunner.TempDir());

        var (exit, _, error) = CliRunner.Run("train", "--data", data, "--layers", "8", "--epochs", "1", "--no-store");

        Assert.Equal(1, exit);
        Assert.Contains("has a label for every step (many-to-many), but the network cannot output them: it has no recurrent layer", error);
    }

    private static string Write(string dir, string name, string text)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    // A safetensors file starts with the little-endian length of its JSON header.
    private static JsonElement Metadata(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var doc = JsonDocument.Parse(bytes.AsMemory(8, length));
        return doc.RootElement.GetProperty("__metadata__").Clone();
    }
}
