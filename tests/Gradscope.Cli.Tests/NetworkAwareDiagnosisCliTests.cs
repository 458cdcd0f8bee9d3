using System.Text.Json;

namespace Gradscope.Cli.Tests;

/// <summary>The misdiagnoses a new user met, as the command line shows them.</summary>
public sealed class NetworkAwareDiagnosisCliTests
{
    [Fact]
    public void Train_SigmoidModelSpec_NamesSigmoidAndOffersAnActivationRemedy()
    {
        string dir = CliRunner.TempDir();
        string spec = Path.Combine(dir, "sig.json");
        var layers = Enumerable.Repeat("""{"type": "dense", "units": 16}, {"type": "activation", "name": "sigmoid"}""", 8);
        File.WriteAllText(spec, "{\"layers\": [" + string.Join(", ", layers) + "]}");

        var (exit, output, error) = CliRunner.Run("train", "--data", "spiral", "--model-spec", spec, "--init", "standard", "--epochs", "2", "--json");

        Assert.True(exit == 0, error);
        using var doc = JsonDocument.Parse(output);
        var vanishing = doc.RootElement.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("kind").GetString() == "Vanishing");
        string cause = vanishing.GetProperty("cause").GetString()!;
        Assert.Contains("sigmoid", cause, StringComparison.Ordinal);
        Assert.DoesNotContain("relu", cause, StringComparison.Ordinal);
        var remedies = vanishing.GetProperty("remedies").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Contains("relu-he", remedies);
    }

    [Fact]
    public void Diagnose_ResidualModel_IsNotToldToAddResidualConnections()
    {
        string dir = CliRunner.TempDir();
        string model = Path.Combine(dir, "res.safetensors");
        var (trainExit, _, trainError) = CliRunner.Run("train", "--data", "spiral", "--layers", "9x16", "--activation", "sigmoid", "--init", "normal:3",
            "--residual", "--epochs", "1", "--save", model, "--json");
        Assert.True(trainExit == 0, trainError);

        var (_, output, error) = CliRunner.Run("diagnose", "--model", model, "--data", "spiral", "--steps", "30", "--json");

        Assert.True(output.Length > 0, error);
        using var doc = JsonDocument.Parse(output);
        var findings = doc.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.NotEmpty(findings);
        foreach (var finding in findings)
        {
            foreach (var remedy in finding.GetProperty("remedies").EnumerateArray())
                Assert.NotEqual("residual", remedy.GetProperty("id").GetString());
        }
    }

    [Fact]
    public void Diagnose_TryFixesOnResidualBatchNormModel_KeepsBothInEveryTrial()
    {
        string model = Path.Combine(CliRunner.TempDir(), "resbn.safetensors");
        var (trainExit, _, trainError) = CliRunner.Run("train", "--data", "spiral", "--layers", "9x16", "--activation", "sigmoid", "--init", "normal:3",
            "--residual", "--norm", "batch", "--epochs", "1", "--save", model, "--json");
        Assert.True(trainExit == 0, trainError);

        // A learning rate this large makes the gradients explode: remedies get tried.
        var (exit, output, error) = CliRunner.Run("diagnose", "--model", model, "--data", "spiral", "--steps", "30", "--lr", "1e4", "--try-fixes", "--json");

        Assert.True(exit == 1, error);
        using var doc = JsonDocument.Parse(output);
        var fixes = doc.RootElement.GetProperty("fixes").EnumerateArray().ToList();
        Assert.True(fixes.Count >= 3, $"{fixes.Count} rows");
        foreach (var fix in fixes)
        {
            string network = fix.GetProperty("spec").GetProperty("network").GetRawText();
            Assert.Contains("\"residual\"", network, StringComparison.Ordinal);
            Assert.Contains("\"batchnorm\"", network, StringComparison.Ordinal);

            // Every row continues the file's weights; only the init and activation-swap remedies draw layers afresh.
            Assert.Equal("from-file", fix.GetProperty("spec").GetProperty("init").GetString());
            Assert.Equal(model, fix.GetProperty("spec").GetProperty("weights").GetString());
            int kept = fix.GetProperty("kept_tensors").GetInt32(), total = fix.GetProperty("total_tensors").GetInt32();
            bool reinitializes = fix.GetProperty("remedy").GetString() is "recommended-init" or "relu-he" or "gelu-he" or "leaky-relu-he" or "tanh-glorot";
            Assert.True(reinitializes ? kept < total : kept == total, $"{fix.GetProperty("label")}: kept {kept} of {total}");
            Assert.Equal(total - kept, fix.GetProperty("reinitialized").GetArrayLength());
        }

        Assert.Equal("as given (continued)", fixes[0].GetProperty("label").GetString());
    }
}
