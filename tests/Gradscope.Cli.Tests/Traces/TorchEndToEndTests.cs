using System.Diagnostics;
using System.Text.Json;
using Gradscope.Lab.Tests.Traces;

namespace Gradscope.Cli.Tests.Traces;

/// <summary>
/// The end-to-end check: a network trained in Debian's PyTorch with
/// <c>gradscope_torch.watch</c> is diagnosed by <c>gradscope diagnose --trace</c>, and the
/// per-layer numbers the diagnosis reports equal the same statistics computed directly from the
/// tensors in the training script (<c>direct.json</c>, float64), reduced over the same early window.
/// </summary>
[Trait("Category", "PyTorch")]
public sealed class TorchEndToEndTests
{
    private const double Tolerance = 1e-5;

    [PyTorchFact]
    public void DiagnoseTrace_TwentyLayerSigmoidTrainedInPyTorch_IsVanishingWithTheDirectNumbers()
    {
        string dir = Train("--depth", "20", "--width", "32", "--activation", "sigmoid", "--init", "default", "--steps", "50");

        var (exit, output, error) = CliRunner.Run("diagnose", "--trace", Path.Combine(dir, "run.jsonl"), "--json");

        Assert.True(exit == 1, output + error);
        using var diagnosis = JsonDocument.Parse(output);
        Assert.Contains(diagnosis.RootElement.GetProperty("findings").EnumerateArray(), f => f.GetProperty("kind").GetString() == "Vanishing");
        AssertLayersMatchDirect(diagnosis.RootElement, Path.Combine(dir, "direct.json"), 20);
    }

    [PyTorchFact]
    public void DiagnoseTrace_ReluHeOfTheSameShape_IsHealthy()
    {
        string dir = Train("--depth", "20", "--width", "32", "--activation", "relu", "--init", "he", "--steps", "50");

        var (exit, output, error) = CliRunner.Run("diagnose", "--trace", Path.Combine(dir, "run.jsonl"), "--json");

        Assert.True(exit == 0, output + error);
        using var diagnosis = JsonDocument.Parse(output);
        Assert.Equal("he-normal", diagnosis.RootElement.GetProperty("initialization").GetProperty("initializer").GetString());
        AssertLayersMatchDirect(diagnosis.RootElement, Path.Combine(dir, "direct.json"), 20);
    }

    [PyTorchFact]
    public void DiagnoseTrace_LstmManyToOneTrainedInPyTorch_IsReadWithItsRecurrentLayer()
    {
        string dir = Train("--lstm", "--width", "16", "--steps", "30");

        var (exit, output, error) = CliRunner.Run("diagnose", "--trace", Path.Combine(dir, "run.jsonl"), "--json");

        Assert.True(exit is 0 or 1, output + error);
        using var diagnosis = JsonDocument.Parse(output);
        var layers = diagnosis.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal("lstm", layers[0].GetProperty("kind").GetString());
        Assert.Equal("LSTM", layers[0].GetProperty("module_kind").GetString());
        Assert.Equal(30, diagnosis.RootElement.GetProperty("steps").GetInt32());
        AssertLayersMatchDirect(diagnosis.RootElement, Path.Combine(dir, "direct.json"), layers.Count);
    }

    [PyTorchFact]
    public void ReadmeExample_RunsAndIsDiagnosedVanishing()
    {
        string root = RepositoryRoot();
        string example = Path.Combine(root, "integrations", "python", "examples", "sigmoid_mlp.py");
        Assert.Contains(File.ReadAllText(example), File.ReadAllText(Path.Combine(root, "README.md")), StringComparison.Ordinal);
        string trace = Path.Combine(CliRunner.TempDir(), "run.jsonl");
        RunPython(example, [trace]);

        var (exit, output, error) = CliRunner.Run("diagnose", "--trace", trace);

        Assert.True(exit == 1, output + error);
        Assert.Contains("pytorch", output);
        Assert.Contains("200 steps recorded (completed)", output);
        Assert.Contains("Vanishing (error) in layers 1 (0) to 20 (38), 20 layers", output);
        Assert.Contains("nn.init.kaiming_normal_(m.weight, nonlinearity=\"relu\")", output);
    }

    // The diagnosis reports early-window medians (first early_steps recorded steps, non-finite left
    // out, the mean of the middle two for an even count): recompute them from direct.json.
    private static void AssertLayersMatchDirect(JsonElement diagnosis, string directPath, int layerCount)
    {
        using var direct = JsonDocument.Parse(File.ReadAllText(directPath));
        var steps = direct.RootElement.GetProperty("steps").EnumerateArray().ToList();
        int early = diagnosis.GetProperty("early_steps").GetInt32();
        Assert.InRange(early, 2, steps.Count);
        var layers = diagnosis.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(layerCount, layers.Count);
        foreach (string stat in new[] { "delta_rms", "grad_rms" })
        {
            for (int l = 0; l < layers.Count; l++)
            {
                double expected = Median(steps.Take(early).Select(s => s.GetProperty(stat)[l].GetDouble()));
                double reported = layers[l].GetProperty("early").GetProperty(stat).GetDouble();
                Assert.True(Math.Abs(reported - expected) <= Tolerance * Math.Abs(expected),
                    $"layer {l + 1} {stat}: diagnosis {reported:R}, direct {expected:R}");
            }
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }

    private static string Train(params string[] args)
    {
        string dir = CliRunner.TempDir();
        RunPython(Path.Combine(RepositoryRoot(), "integrations", "python", "tests", "e2e_train.py"), [.. args, "--out", dir]);
        return dir;
    }

    private static void RunPython(string script, string[] args)
    {
        string root = RepositoryRoot();
        var start = new ProcessStartInfo(PyTorchFactAttribute.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["PYTHONPATH"] = Path.Combine(root, "integrations", "python");
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + PyTorchFactAttribute.Python);
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} ran over 3 minutes");
        }

        Assert.True(process.ExitCode == 0, $"{script} failed ({process.ExitCode}): {stderr.Result}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gradscope.slnx")))
                return dir.FullName;
        }

        throw new InvalidOperationException("no Gradscope.slnx above " + AppContext.BaseDirectory);
    }
}
