using System.Globalization;
using Gradscope.Cli.Output;
using Gradscope.Lab.Runs;
using Gradscope.Theory;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope theory --trainability</c>: deep random networks trained briefly over depth x
/// sigma_w^2, their test accuracy beside the predicted limit 6 xi_c (Schoenholz et al. 2017).
/// </summary>
internal static class TrainabilityRunner
{
    public static int Run(CliContext context, TheoryCommand.Settings settings, bool quick)
    {
        var options = (quick ? TrainabilityOptions.Quick : TrainabilityOptions.Full) with
        {
            Activation = settings.Activation,
            BiasVariance = settings.BiasVariance,
        };
        var terminal = context.CreateTerminal();
        if (!settings.Json)
        {
            terminal.Line($"[bold]Gradscope trainability[/]  {Markup.Escape(options.Activation.Name)}, sigma_b^2 = {TheoryReport.G(options.BiasVariance)}, depths {string.Join(", ", options.Depths)}, " +
                $"width {options.Width}, {options.Steps} SGD steps (lr {TheoryReport.G(options.LearningRate)}) per cell, {options.Classes}-class teacher task");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        int cells = options.Depths.Count * options.WeightVariances.Count;
        var result = DelayedProgress.Run(terminal, settings.Json, "training the grid", cells, tick => TrainabilityExperiment.Run(options, _ => tick()));
        if (settings.Json)
            WriteJson(context.Out, result, quick, clock.Elapsed.TotalSeconds);
        else
            WriteTable(terminal, result, clock.Elapsed.TotalSeconds);
        return CliApp.Success;
    }

    private static void WriteTable(Terminal terminal, TrainabilityResult result, double seconds)
    {
        var weights = result.Options.WeightVariances;
        var columns = new List<string> { "depth \\ sigma_w^2" };
        foreach (double w in weights)
            columns.Add(TheoryReport.G(w));
        var grid = Terminal.NewTable(terminal.Plain, [.. columns]);
        for (int d = 0; d < result.Options.Depths.Count; d++)
        {
            var row = new List<string> { result.Options.Depths[d].ToString(CultureInfo.InvariantCulture) };
            for (int w = 0; w < weights.Count; w++)
            {
                var cell = result.Cells[(d * weights.Count) + w];
                string mark = cell.TestAccuracy >= result.TrainableThreshold ? "" : " x";
                row.Add(cell.Diverged ? "diverged" : Format.Percent(cell.TestAccuracy) + mark);
            }

            grid.AddRow([.. row]);
        }

        terminal.Text("test accuracy ('x': below the trained threshold):");
        terminal.Write(grid);
        var boundary = Terminal.NewTable(terminal.Plain, "sigma_w^2", "chi_1", "xi_c", "6 xi_c (predicted)", "deepest trained (measured)");
        foreach (var b in result.Boundaries)
        {
            boundary.AddRow(TheoryReport.G(b.WeightVariance), Format.Fixed(b.Chi1, 3), b.XiC is { } xi ? Format.Fixed(xi, 1) : "infinite",
                b.TrainableDepth is { } t ? Format.Fixed(t, 0) : "infinite", b.MeasuredTrainableDepth == 0 ? "none" : b.MeasuredTrainableDepth.ToString(CultureInfo.InvariantCulture));
        }

        terminal.Write(boundary);
        terminal.Text($"trained = test accuracy >= {Format.Percent(result.TrainableThreshold)} (halfway from chance {Format.Percent(result.ChanceAccuracy)} to 100%); " +
            $"theory predicts networks deeper than about 6 xi_c fail; {seconds:F1} s");
    }

    private static void WriteJson(TextWriter output, TrainabilityResult result, bool quick, double seconds)
    {
        JsonOutput.WriteObject(output, w =>
        {
            var o = result.Options;
            w.WriteString("mode", "trainability");
            w.WriteString("activation", o.Activation.Name);
            w.WriteNumber("bias_var", o.BiasVariance);
            w.WriteBoolean("quick", quick);
            w.WriteNumber("width", o.Width);
            w.WriteNumber("steps", o.Steps);
            w.WriteNumber("chance_accuracy", result.ChanceAccuracy);
            w.WriteNumber("trained_threshold", result.TrainableThreshold);
            w.WriteNumber("seconds", seconds);
            w.WriteStartArray("cells");
            foreach (var c in result.Cells)
            {
                w.WriteStartObject();
                w.WriteNumber("depth", c.Depth);
                w.WriteNumber("weight_var", c.WeightVariance);
                JsonNumbers.Write(w, "train_accuracy", c.TrainAccuracy);
                JsonNumbers.Write(w, "test_accuracy", c.TestAccuracy);
                JsonNumbers.Write(w, "final_loss", c.FinalLoss);
                w.WriteBoolean("diverged", c.Diverged);
                w.WriteBoolean("predicted_trainable", c.PredictedTrainable);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("boundaries");
            foreach (var b in result.Boundaries)
            {
                w.WriteStartObject();
                w.WriteNumber("weight_var", b.WeightVariance);
                JsonNumbers.Write(w, "chi1", b.Chi1);
                JsonNumbers.Write(w, "xi_c", b.XiC);
                JsonNumbers.Write(w, "predicted_trainable_depth", b.TrainableDepth);
                w.WriteNumber("measured_trainable_depth", b.MeasuredTrainableDepth);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

}
