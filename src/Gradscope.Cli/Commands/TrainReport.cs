using System.Numerics;
using Gradscope.Cli.Output;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
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
        terminal.Line($"[bold]Gradscope train[/]  {Markup.Escape(run.Train.Name)}: {Markup.Escape(DescribeRows(run))}, {Markup.Escape(DescribeShape(run))}");
        terminal.Line($"network {Markup.Escape(run.Spec.Describe())} ({run.Network.ParameterCount:N0} parameters), init {Markup.Escape(c.Init.Name)}, " +
            $"{Markup.Escape(run.Trainer.Optimizer.Name)} lr {run.Trainer.Optimizer.LearningRate:G4}, batch {c.Budget.BatchSize}, {c.Budget.Epochs} epochs, {(c.DType == NumberType.Float64 ? "float64" : "float32")}, seed {c.Seed}");
        if (Preflight.For(run.Spec, c.Init) is { } preflight)
            terminal.Text(preflight.Text);
    }

    public static void Summary<T>(Terminal terminal, PreparedRun<T> run, TrainingResult result, TimeSpan elapsed, string? save)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var table = Terminal.NewTable(terminal.Plain, "split", "rows", "loss", "accuracy");
        foreach (var split in Results(run, result))
            table.AddRow(Markup.Escape(split.Name), split.Rows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), Format.Fixed(split.Loss), Format.Percent(split.Accuracy));

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

    public static void Json<T>(TextWriter output, PreparedRun<T> run, TrainingResult result, TimeSpan elapsed, DiagnosisReport? report, string? runId = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        JsonOutput.WriteObject(output, w =>
        {
            // The id the run was recorded under in the run store; null when not recorded.
            w.WriteString("run_id", runId);
            w.WritePropertyName("spec");
            RunSpecJson.Write(w, run.Config);
            w.WriteString("data", run.Train.Name);
            w.WriteString("network", run.Spec.Describe());
            w.WriteString("status", result.Status.ToString().ToLowerInvariant());
            if (result.Message is not null)
                w.WriteString("message", result.Message);
            w.WriteNumber("steps", result.Steps);
            w.WriteNumber("seconds", elapsed.TotalSeconds);

            // Which split the epochs' test_loss and test_accuracy come from; null when none was held out.
            if (run.TestKind is { } kind)
                w.WriteString("held_out", kind.Name());
            else
                w.WriteNull("held_out");
            w.WriteStartArray("results");
            foreach (var split in Results(run, result))
            {
                w.WriteStartObject();
                w.WriteString("split", split.Name);
                w.WriteNumber("rows", split.Rows);
                JsonNumbers.Write(w, "loss", split.Loss);
                JsonNumbers.Write(w, "accuracy", split.Accuracy);
                w.WriteEndObject();
            }

            w.WriteEndArray();
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

    /// <summary>"160 train / 40 validation / 30 test (official) rows": the rows of each split.</summary>
    // A sequence task is T steps of F features; a regression task has targets, not classes.
    private static string DescribeShape<T>(PreparedRun<T> run)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string input = run.Train.Sequence is { } sequence
            ? $"sequences of {sequence.Steps} steps x {sequence.Features} {Plural(sequence.Features, "feature")}"
            : $"{run.Train.FeatureCount} {Plural(run.Train.FeatureCount, "feature")}";
        string output = run.Train.Regression is { } regression
            ? $"{regression.Width} regression {Plural(regression.Width, "target")}"
            : run.Train.StepLabels is { } steps
                ? $"{run.Spec.OutputSize} classes at every step (accuracy over steps {steps.ScoredFrom}..{steps.Steps - 1})"
                : $"{run.Spec.OutputSize} classes";
        return $"{input}, {output}";
    }

    private static string Plural(int count, string noun) => count == 1 ? noun : noun + "s";

    private static string DescribeRows<T>(PreparedRun<T> run)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A sequence task draws its training rows afresh every epoch; its held-out rows are drawn once.
        string rows = $"{run.Train.Count} {SplitNames.Train}" + (run.Train.EpochRefill is null ? string.Empty : " (fresh each epoch)");
        if (run.Test is not null && run.TestKind is { } kind)
            rows += $" / {run.Test.Count} {kind.Name()}";
        if (run.FinalTest is not null)
            rows += $" / {run.FinalTest.Count} {HeldOutKind.OfficialTest.Name()}";
        return run.Test is null ? rows + " rows (none held out)" : rows + " rows";
    }

    /// <summary>
    /// The final loss and accuracy of each split, named: train, the held-out split of every epoch,
    /// and the official test set evaluated once now when the epochs were validated on a split.
    /// </summary>
    private static List<SplitResult> Results<T>(PreparedRun<T> run, TrainingResult result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var results = new List<SplitResult>();
        if (result.Final is not { } final)
            return results;
        results.Add(new(SplitNames.Train, run.Train.Count, final.TrainLoss, final.TrainAccuracy));
        if (run.Test is not null && run.TestKind is { } kind && !double.IsNaN(final.TestLoss))
            results.Add(new(kind.Name(), run.Test.Count, final.TestLoss, final.TestAccuracy));
        if (result.Status != TrainingStatus.Diverged && run.EvaluateFinalTest() is { } test)
            results.Add(new(HeldOutKind.OfficialTest.Name(), run.FinalTest!.Count, test.Loss, test.Accuracy));
        return results;
    }

    private sealed record SplitResult(string Name, int Rows, double Loss, double Accuracy);
}
