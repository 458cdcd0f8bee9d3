using System.Diagnostics;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Traces;

namespace Gradscope.Lab.Tests.Traces;

public sealed class TorchResidualCodeTests
{
    [PyTorchFact]
    public void ResidualCode_OnTheSigmoidMlpExample_WrapsSameWidthPairsAndTheModelStillRuns()
    {
        string code = TorchRemedyCode.For(Remedies.Residual, SigmoidMlpLayers(), null)!;
        string dir = Directory.CreateTempSubdirectory("gradscope-residual-").FullName;
        try
        {
            string root = RepositoryRoot();
            string example = Path.Combine(root, "integrations", "python", "examples", "sigmoid_mlp.py");
            string script = Path.Combine(dir, "apply.py");
            File.WriteAllText(script,
                "import torch\nfrom torch import nn\n" +
                $"source = open({Python(example)}).read()\n" +
                "exec(source[:source.index(\"opt = \")])  # the example's model, without its training loop\n" +
                "before = sum(p.numel() for p in model.parameters())\n" +
                code +
                "\nblocks = [m for m in model.modules() if type(m).__name__ == \"Residual\"]\n" +
                "out = model(torch.randn(5, 2))\n" +
                "assert out.shape == (5, 3), out.shape\n" +
                "assert sum(p.numel() for p in model.parameters()) == before\n" +
                "print(len(blocks))\n");
            var (exit, output, error) = RunPython(script, Path.Combine(root, "integrations", "python"));

            Assert.True(exit == 0, error);
            // Layers 2..37 (18 of the 19 hidden Linear layers, 32 wide) pair up into 9 blocks; net.0 (2 -> 32) cannot.
            Assert.Equal("9", output.Trim());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ResidualCode_FunctionalActivations_NamesThePairsForAHandEdit()
    {
        var layers = new[]
        {
            Layer(1, "fc1", 8, 8, null),
            Layer(2, "fc2", 8, 8, null),
            Layer(3, "out", 8, 2, null),
        };

        string code = TorchRemedyCode.For(Remedies.Residual, layers, null)!;

        Assert.DoesNotContain("for first, last in", code, StringComparison.Ordinal);
        Assert.Contains("add the skip by hand (x = x + block(x)) around fc1 and fc2", code, StringComparison.Ordinal);
    }

    // The example's nn.Sequential: Linear(2, 32), Sigmoid, then 18 x (Linear(32, 32), Sigmoid), then Linear(32, 3).
    private static RecordedLayer[] SigmoidMlpLayers()
    {
        var layers = new RecordedLayer[20];
        for (int i = 0; i < 19; i++)
            layers[i] = Layer(i + 1, $"{2 * i}", i == 0 ? 2 : 32, 32, $"{(2 * i) + 1}");
        layers[19] = Layer(20, "38", 32, 3, null) with { Activation = "identity" };
        return layers;
    }

    private static RecordedLayer Layer(int number, string name, int inputs, int units, string? activationModule) =>
        new(new LayerRef(number, name), "dense", activationModule is null ? "unknown" : "sigmoid", inputs, units)
        {
            ModuleKind = "Linear",
            ActivationModule = activationModule,
        };

    private static string Python(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static (int Exit, string Out, string Err) RunPython(string script, string pythonPath)
    {
        var start = new ProcessStartInfo(PyTorchFactAttribute.Python, [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PYTHONPATH"] = pythonPath;
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + PyTorchFactAttribute.Python);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the residual code ran over 2 minutes");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
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
