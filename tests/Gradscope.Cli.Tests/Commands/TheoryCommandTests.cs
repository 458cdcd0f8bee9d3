using System.Text.Json;
using Gradscope.Activations;
using Gradscope.Theory;

namespace Gradscope.Cli.Tests.Commands;

public sealed class TheoryCommandTests
{
    [Fact]
    public void Theory_TanhOrderedJson_MatchesEngine()
    {
        var (code, stdout, stderr) = CliRunner.Run("theory", "--activation", "tanh", "--weight-var", "1.5", "--bias-var", "0.05", "--depth", "50", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        var engine = MeanField.Analyze(Activation.Parse("tanh"), 1.5, 0.05, 50);
        double chi1 = root.GetProperty("chi1").GetDouble();
        Assert.Equal("tanh", root.GetProperty("activation").GetString());
        Assert.Equal(1.5, root.GetProperty("weight_var").GetDouble());
        Assert.Equal(0.05, root.GetProperty("bias_var").GetDouble());
        Assert.Equal("ordered", root.GetProperty("phase").GetString());
        Assert.Equal(engine.Chi1, chi1, 1e-4);
        Assert.True(chi1 < 1, $"chi1 {chi1}");
        Assert.Equal(engine.QStar!.Value, root.GetProperty("q_star").GetDouble(), 1e-9);
        Assert.Equal(-1 / Math.Log(chi1), root.GetProperty("depth_scale").GetDouble(), 1e-9);
        Assert.Equal(Math.Pow(chi1, 49 / 2.0), root.GetProperty("predicted_grad_ratio").GetDouble(), 1e-9);
        Assert.Equal(1.7610, root.GetProperty("critical_weight_var").GetDouble(), 1e-3);
        Assert.False(root.TryGetProperty("measured", out _));
    }

    [Fact]
    public void Theory_ReluHeJson_IsCriticalWithoutDepthScale()
    {
        var (code, stdout, stderr) = CliRunner.Run("theory", "--activation", "relu", "--weight-var", "2", "--bias-var", "0", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("critical", root.GetProperty("phase").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("depth_scale").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("q_star").ValueKind);
        Assert.Equal("degenerate", root.GetProperty("fixed_point").GetString());
        Assert.Equal(1.0, root.GetProperty("chi1").GetDouble(), 1e-9);
        Assert.Equal(1.0, root.GetProperty("predicted_grad_ratio").GetDouble(), 1e-9);
    }

    [Fact]
    public void Theory_MeasureJson_HasMeasuredObjectNearChi1()
    {
        var (code, stdout, stderr) = CliRunner.Run("theory", "--activation", "tanh", "--weight-var", "1.5", "--bias-var", "0.05", "--depth", "8",
            "--measure", "--width", "64", "--seeds", "2", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        var measured = root.GetProperty("measured");
        double chi1 = root.GetProperty("chi1").GetDouble();
        double ratio = measured.GetProperty("mean_layer_ratio").GetDouble();
        Assert.Equal(64, measured.GetProperty("width").GetInt32());
        Assert.Equal(2, measured.GetProperty("seeds").GetInt32());
        Assert.Equal("gaussian", measured.GetProperty("weights").GetString());
        Assert.Equal(7, measured.GetProperty("layer_ratios").GetArrayLength());
        Assert.Equal(ratio / chi1 - 1, measured.GetProperty("relative_error").GetDouble(), 1e-9);
        Assert.InRange(ratio, 0.7 * chi1, 1.3 * chi1);
        var jacobian = measured.GetProperty("jacobian");
        Assert.Equal("exact", jacobian.GetProperty("method").GetString());
        Assert.Equal(Math.Pow(chi1, 8), jacobian.GetProperty("predicted_mean_square").GetDouble(), 1e-9);
        Assert.True(jacobian.GetProperty("condition_number").GetDouble() >= 1);
    }

    [Fact]
    public void Theory_Table_ShowsPredictionsAndMeasurement()
    {
        var (code, stdout, stderr) = CliRunner.Run("theory", "--weight-var", "1.5", "--bias-var", "0.05", "--depth", "6", "--measure", "--width", "16", "--seeds", "1", "--orthogonal");

        Assert.True(code == 0, stderr);
        Assert.Contains("| chi_1              |   0.93864 |", stdout);
        Assert.Contains("| critical sigma_w^2 |     1.761 |", stdout);
        Assert.Contains("| phase              |   ordered |", stdout);
        Assert.Contains("input-output Jacobian (orthogonal weights, width 16, 1 seeds, exact):", stdout);
        Assert.Contains("Ordered: the gradient shrinks by about 0.96883 per layer in norm", stdout);
    }

    [Fact]
    public void Theory_PhaseDiagramPng_WritesPngFile()
    {
        string path = Path.Combine(CliRunner.TempDir(), "phase.png");

        var (code, stdout, stderr) = CliRunner.Run("theory", "--phase-diagram", "--grid", "4x3", "--png", path, "--weight-var", "1.5", "--bias-var", "0.05");

        Assert.True(code == 0, stderr);
        Assert.Equal($"wrote {path}", stdout.Trim());
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
    }

    [Fact]
    public void Theory_PhaseDiagramHtml_IsSelfContained()
    {
        string path = Path.Combine(CliRunner.TempDir(), "report.html");

        var (code, _, stderr) = CliRunner.Run("theory", "--phase-diagram", "--grid", "4x3", "-o", path);

        Assert.True(code == 0, stderr);
        string html = File.ReadAllText(path);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgo", html);
        Assert.Contains("<table id=\"critical-line\">", html);
        Assert.Contains("<tr><td>0</td><td>1</td></tr>", html);
        Assert.DoesNotContain("http", html.Replace("data:image", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Theory_PhaseDiagramTerminal_PrintsCriticalLineAndMap()
    {
        var (code, stdout, stderr) = CliRunner.Run("theory", "--phase-diagram", "--grid", "5x3", "--weight-var", "1.5", "--bias-var", "0.15");

        Assert.True(code == 0, stderr);
        Assert.Contains("| 0.15      |             2.1505 |", stdout);
        Assert.Contains("| 0         |                  1 |", stdout);
        Assert.Contains("  0.150  .  @  |  #  # ", stdout);
    }

    [Fact]
    [Trait("Category", "Experiment")]
    public void Theory_TrainabilityQuickJson_HasGridAndBoundaries()
    {
        var (code, stdout, stderr) = CliRunner.Run("theory", "--trainability", "--quick", "--json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(0.05, root.GetProperty("bias_var").GetDouble());
        Assert.Equal(18, root.GetProperty("cells").GetArrayLength());
        var boundaries = root.GetProperty("boundaries").EnumerateArray().ToList();
        Assert.Equal(6, boundaries.Count);
        var ordered = boundaries[0];
        Assert.Equal(0.8, ordered.GetProperty("weight_var").GetDouble());
        Assert.Equal(6 * ordered.GetProperty("xi_c").GetDouble(), ordered.GetProperty("predicted_trainable_depth").GetDouble(), 1e-9);
        Assert.InRange(ordered.GetProperty("measured_trainable_depth").GetInt32(), 0, 40);
    }

    [Theory]
    [InlineData("error: --weight-var must be a positive number; got -1.", "--weight-var", "-1")]
    [InlineData("error: --weight-var must be a positive number; got 0.", "--weight-var", "0")]
    [InlineData("error: --bias-var must be zero or a positive number; got -0.1.", "--weight-var", "1", "--bias-var", "-0.1")]
    [InlineData("error: --depth must be at least 1; got 0.", "--weight-var", "1", "--depth", "0")]
    [InlineData("error: --width must be at least 2; got 1.", "--weight-var", "1", "--measure", "--width", "1")]
    [InlineData("error: --weight-var is required for one configuration (e.g. --weight-var 1.5); or use --phase-diagram or --trainability.")]
    [InlineData("error: --grid must be WxB with 2 to 200 points per axis, e.g. 16x8 or 36x16; got '3'.", "--phase-diagram", "--grid", "3")]
    [InlineData("error: --phase-diagram and --trainability are separate modes; give one.", "--phase-diagram", "--trainability")]
    public void Theory_BadInput_IsUsageErrorWithOneLine(string message, params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(["theory", .. args]);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(message, stderr.Trim());
    }

    [Fact]
    public void Theory_UnknownActivation_ListsValidNames()
    {
        var (code, _, stderr) = CliRunner.Run("theory", "--activation", "swishy", "--weight-var", "1");

        Assert.Equal(2, code);
        Assert.StartsWith("error: Unknown activation 'swishy'. Valid activations: identity, sigmoid, tanh,", stderr.Trim(), StringComparison.Ordinal);
    }
}
