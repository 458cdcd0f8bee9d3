using System.Numerics;
using Gradscope.Cli.Output;
using Gradscope.Diagnostics;
using Gradscope.Serialization;
using Gradscope.Theory;
using Gradscope.Training;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>What <c>train</c> prints before and after training.</summary>
internal static class TrainReport
{
    public static void Header<T>(Terminal terminal, PreparedRun<T> run)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = run.Config;
        terminal.Line($"[bold]Gradscope train[/]  {Markup.Escape(run.Train.Name)}: {run.Train.Count} train / {run.Test?.Count ?? 0} test rows, {run.Train.FeatureCount} features, {run.Spec.OutputSize} classes");
        terminal.Line($"network {Markup.Escape(run.Spec.Describe())} ({run.Network.ParameterCount:N0} parameters), init {Markup.Escape(c.ParsedInitializer.Name)}, " +
            $"{Markup.Escape(run.Trainer.Optimizer.Name)} lr {run.Trainer.Optimizer.LearningRate:G4}, batch {c.BatchSize}, {c.Epochs} epochs, {(c.UseDouble ? "float64" : "float32")}, seed {c.Seed}");
        if (Preflight.For(c) is { } preflight)
            terminal.Text(preflight.Text);
    }

    public static void Summary<T>(Terminal terminal, PreparedRun<T> run, TrainingResult result, TimeSpan elapsed, string? save)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var table = Terminal.NewTable(terminal.Plain, "split", "loss", "accuracy");
        if (result.Final is { } final)
        {
            table.AddRow("train", Format.Fixed(final.TrainLoss), Format.Percent(final.TrainAccuracy));
            if (!double.IsNaN(final.TestLoss))
                table.AddRow("test", Format.Fixed(final.TestLoss), Format.Percent(final.TestAccuracy));
        }

        terminal.Write(table);
        double seconds = elapsed.TotalSeconds;
        terminal.Text($"{result.Steps} steps in {seconds:F2} s ({(seconds > 0 ? result.Steps / seconds : 0):F0} steps/s)");
        if (result.Status == TrainingStatus.Interrupted)
            terminal.Text($"interrupted: {result.Message} The numbers above describe the weights after the last step taken.");
        if (save is not null && result.Status != TrainingStatus.Diverged)
            terminal.Text(result.Status == TrainingStatus.Interrupted ? $"saved model to {save} (marked \"{ModelFile.InterruptedKey}\": \"true\")" : $"saved model to {save}");
    }

    /// <summary>The monitor's findings; after an interrupt they say they cover only the steps taken.</summary>
    public static void Findings(Terminal terminal, TrainingResult result, DiagnosisReport report)
    {
        if (result.Status == TrainingStatus.Interrupted)
            terminal.Text($"findings of the interrupted run ({result.Steps} steps):");
        FindingsView.Write(terminal, report);
    }

    public static void Json<T>(TextWriter output, PreparedRun<T> run, TrainingResult result, TimeSpan elapsed, DiagnosisReport? report)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        JsonOutput.WriteObject(output, w =>
        {
            w.WriteString("data", run.Train.Name);
            w.WriteString("network", run.Spec.Describe());
            w.WriteString("status", result.Status.ToString().ToLowerInvariant());
            if (result.Message is not null)
                w.WriteString("message", result.Message);
            w.WriteNumber("steps", result.Steps);
            w.WriteNumber("seconds", elapsed.TotalSeconds);
            w.WriteStartArray("epochs");
            foreach (var e in result.Epochs)
            {
                w.WriteStartObject();
                w.WriteNumber("epoch", e.Epoch + 1);
                JsonNumbers.Write(w, "train_loss", e.TrainLoss);
                JsonNumbers.Write(w, "train_accuracy", e.TrainAccuracy);
                JsonNumbers.Write(w, "test_loss", e.TestLoss);
                JsonNumbers.Write(w, "test_accuracy", e.TestAccuracy);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (report is not null)
                DiagnosisJson.WriteFindings(w, report);
        });
    }
}
