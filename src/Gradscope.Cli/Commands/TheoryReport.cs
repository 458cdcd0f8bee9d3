using System.Globalization;
using System.Text.Json;
using Gradscope.Cli.Output;
using Gradscope.Lab.Runs;
using Gradscope.Theory;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary><c>gradscope theory</c> for one configuration: the mean-field prediction, and with --measure the measurement beside it.</summary>
internal static class TheoryReport
{
    public static int Run(CliContext context, TheoryCommand.Settings settings, TheoryCommand.MeasureSettings? measure)
    {
        double weightVariance = settings.WeightVariance!.Value;
        var prediction = MeanField.Analyze(settings.Activation, weightVariance, settings.BiasVariance, settings.Depth);
        double? critical = MeanField.CriticalWeightVariance(settings.Activation, settings.BiasVariance);
        SignalPropagationReport? measured = null;
        if (measure is not null)
        {
            var config = new SignalPropagationConfig
            {
                Activation = settings.Activation,
                WeightVariance = weightVariance,
                BiasVariance = settings.BiasVariance,
                Depth = settings.Depth,
                Width = measure.Width,
                Seeds = measure.Seeds,
                Weights = measure.Orthogonal ? WeightDistribution.Orthogonal : WeightDistribution.Gaussian,
            };
            var terminal = context.CreateTerminal();
            measured = DelayedProgress.Run(terminal, settings.Json, "measuring random networks", 1, _ => SignalPropagationMeasurement.Measure(config));
        }

        if (settings.Json)
            WriteJson(context.Out, prediction, critical, measured);
        else
            WriteTable(context.CreateTerminal(), prediction, critical, measured);
        return CliApp.Success;
    }

    private static void WriteTable(Terminal terminal, MeanFieldResult p, double? critical, SignalPropagationReport? measured)
    {
        terminal.Line($"[bold]Gradscope theory[/]  {Markup.Escape(p.Activation)}, sigma_w^2 = {G(p.WeightVariance)}, sigma_b^2 = {G(p.BiasVariance)}, depth {p.Depth}");
        var table = Terminal.NewTable(terminal.Plain, "quantity", "predicted", "measured", "meaning");
        table.Columns[3].LeftAligned();
        table.AddRow("q*", p.QStar is { } q ? G(q) : p.FixedPoint.ToString().ToLowerInvariant(), "", "fixed pre-activation variance");
        table.AddRow("chi_1", G(p.Chi1), measured is null ? "" : $"{G(measured.MeanLayerRatio)} ({SignedPercent(measured.RatioRelativeError)})", "per-layer factor of the squared gradient norm");
        table.AddRow("chi_c", G(p.ChiC), "", "slope of the correlation map at c*");
        table.AddRow("xi_q", Scale(p.XiQ), "", "layers to forget the input's length");
        table.AddRow("xi_c", Scale(p.XiC), "", "layers to forget input correlations");
        table.AddRow("depth_scale", Scale(p.DepthScale), "", "-1/ln(chi_1): layers per e-fold of squared gradient");
        table.AddRow("phase", p.Phase.ToString().ToLowerInvariant(), "", $"ordered < 1 - {G(p.CriticalTolerance)} < critical < chaotic");
        table.AddRow($"|g_1|/|g_{p.Depth}|", Format.Sci(p.PredictedGradientRatio), measured is null ? "" : Format.Sci(measured.MeasuredGradientRatio), "first-to-last gradient ratio, chi_1^((L-1)/2)");
        table.AddRow("critical sigma_w^2", critical is { } c ? G(c) : "none", "", $"chi_1 = 1 at sigma_b^2 = {G(p.BiasVariance)}");
        terminal.Write(table);
        if (measured?.Jacobian is { } j)
            WriteJacobian(terminal, p, measured, j);
        terminal.Text(p.Explanation);
        terminal.Text(Verdict(p));
    }

    private static void WriteJacobian(Terminal terminal, MeanFieldResult p, SignalPropagationReport measured, JacobianSpectrum j)
    {
        var c = measured.Config;
        terminal.Text($"input-output Jacobian ({c.Weights.ToString().ToLowerInvariant()} weights, width {c.Width}, {c.Seeds} seeds, {j.Method}):");
        var table = Terminal.NewTable(terminal.Plain, "singular values", "value", "meaning");
        table.Columns[2].LeftAligned();
        table.AddRow("mean sigma^2", $"{Format.Sci(j.MeanSquaredSingularValue)} (chi_1^L = {Format.Sci(p.PredictedJacobianMeanSquare)})", "predicted chi_1^L");
        table.AddRow("relative spread", Format.Fixed(j.RelativeSpread, 3), "std of sigma^2 over its mean; 0 is isometry");
        table.AddRow("max / min", $"{Format.Sci(j.MaxSingularValue)} / {(j.MinIsUpperBound ? "<= " : "")}{Format.Sci(j.MinSingularValue)}", "extremes");
        table.AddRow("condition number", (j.MinIsUpperBound ? ">= " : "") + Format.Sci(j.ConditionNumber), "max / min");
        terminal.Write(table);
    }

    private static string Verdict(MeanFieldResult p)
    {
        string ratio = Format.Sci(p.PredictedGradientRatio);
        return p.Phase switch
        {
            SignalPhase.Ordered => $"Ordered: the gradient shrinks by about {G(Math.Sqrt(p.Chi1))} per layer in norm, to {ratio} of the last layer's at layer 1 of {p.Depth}: expect vanishing gradients beyond a few depth scales.",
            SignalPhase.Chaotic => $"Chaotic: the gradient grows by about {G(Math.Sqrt(p.Chi1))} per layer in norm, to {ratio} times the last layer's at layer 1 of {p.Depth}: expect exploding gradients beyond a few depth scales.",
            _ => $"Critical (edge of chaos): the gradient keeps its size through depth (ratio {ratio} at {p.Depth} layers); signals propagate deep.",
        };
    }

    private static void WriteJson(TextWriter output, MeanFieldResult p, double? critical, SignalPropagationReport? measured)
    {
        JsonOutput.WriteObject(output, w =>
        {
            MeanFieldJson.Write(w, p, critical);
            if (measured is not null)
                WriteMeasured(w, measured);
        });
    }

    private static void WriteMeasured(Utf8JsonWriter w, SignalPropagationReport m)
    {
        w.WriteStartObject("measured");
        w.WriteNumber("width", m.Config.Width);
        w.WriteNumber("seeds", m.Config.Seeds);
        w.WriteString("weights", m.Config.Weights.ToString().ToLowerInvariant());
        JsonNumbers.Write(w, "mean_layer_ratio", m.MeanLayerRatio);
        JsonNumbers.Write(w, "mean_layer_ratio_stderr", m.MeanLayerRatioStandardError);
        JsonNumbers.Write(w, "relative_error", m.RatioRelativeError);
        JsonNumbers.Write(w, "grad_ratio", m.MeasuredGradientRatio);
        w.WriteStartArray("layer_ratios");
        foreach (double r in m.LayerRatios)
        {
            if (double.IsFinite(r))
                w.WriteNumberValue(r);
            else
                w.WriteNullValue();
        }

        w.WriteEndArray();
        if (m.Jacobian is { } j)
        {
            w.WriteStartObject("jacobian");
            w.WriteString("method", j.Method);
            JsonNumbers.Write(w, "mean_squared_singular_value", j.MeanSquaredSingularValue);
            JsonNumbers.Write(w, "predicted_mean_square", m.Prediction.PredictedJacobianMeanSquare);
            JsonNumbers.Write(w, "relative_spread", j.RelativeSpread);
            JsonNumbers.Write(w, "max_singular_value", j.MaxSingularValue);
            JsonNumbers.Write(w, "min_singular_value", j.MinSingularValue);
            JsonNumbers.Write(w, "condition_number", j.ConditionNumber);
            w.WriteBoolean("min_is_upper_bound", j.MinIsUpperBound);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("jacobian");
        }

        w.WriteEndObject();
    }

    private static string Scale(double? value) => value is { } v ? G(v) : "infinite";

    private static string SignedPercent(double fraction) =>
        (fraction >= 0 ? "+" : "") + (100 * fraction).ToString("F1", CultureInfo.InvariantCulture) + "%";

    internal static string G(double value) => value.ToString("G5", CultureInfo.InvariantCulture);
}
