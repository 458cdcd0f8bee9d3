using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gradscope.Cli.Commands.Runs;
using Gradscope.Cli.Output;
using Gradscope.Diagnostics.Experiments;
using Gradscope.Recurrent.Experiments;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>Runs <c>experiment residual-vs-plain</c> and prints its table (or JSON) and its expected outcomes.</summary>
internal static class ResidualVsPlainRunner
{
    public static int Run(CliContext context, ExperimentCommand.Settings settings)
    {
        var options = new ResidualVsPlainOptions { Quick = settings.Quick, Seed = settings.Seed };
        var terminal = context.CreateTerminal();
        var clock = Stopwatch.StartNew();
        IReadOnlyList<ResidualVsPlainRow> rows;
        if (settings.Json)
        {
            rows = ResidualVsPlain.Run(options);
        }
        else
        {
            var depths = ResidualVsPlain.Depths(settings.Quick);
            terminal.Line($"[bold]Gradscope experiment {ResidualVsPlain.Name}[/]  spiral (3 classes), depth = {string.Join(", ", depths)} x {options.Width}, {options.Activation}; " +
                $"{string.Join(", ", ResidualVsPlain.AllVariants)}; Adam lr {options.LearningRate}, {options.Epochs} epochs, float64, seed {settings.Seed}");
            rows = ResidualVsPlain.Run(options, new LineProgress(terminal));
        }

        var expectations = ResidualVsPlain.Expectations(rows);
        var recorded = Record(context, settings.Store, rows);
        if (settings.Json)
            WriteJson(context.Out, settings, rows, expectations, clock.Elapsed);
        else
            WriteTable(terminal, rows, expectations, clock.Elapsed);
        if (!settings.Json && recorded.Count > 0)
            terminal.Text(RunRecording.Recorded(recorded, settings.Store));
        return CliApp.Success;
    }

    // Every (depth, variant) run into the store, named by both and tagged with the experiment.
    private static IReadOnlyList<string> Record(CliContext context, StoreRequest store, IReadOnlyList<ResidualVsPlainRow> rows) =>
        RunRecording.SaveExperiment(context, store, ResidualVsPlain.Name, rows.Select(row => (row.Run, $"{row.Variant} depth {row.Depth}")));

    private static void WriteTable(Terminal terminal, IReadOnlyList<ResidualVsPlainRow> rows, IReadOnlyList<Expectation> expectations, TimeSpan elapsed)
    {
        var table = Terminal.NewTable(terminal.Plain, "depth", "variant", "first/last grad", "orders lost", "final loss", "accuracy", "findings");
        foreach (var r in rows)
        {
            table.AddRow(r.Depth.ToString(CultureInfo.InvariantCulture), r.Variant, Format.Sci(r.FirstToLastRatio), Format.Fixed(r.OrdersLost, 1),
                Format.Fixed(r.Loss), Format.Percent(r.Accuracy), FindingsView.Kinds(r.Findings));
        }

        terminal.Write(table);
        ExpectationsView.Write(terminal, expectations);
        terminal.Text($"first/last grad: first over last dense layer's delta_rms over the early steps; chance loss ln 3 = {ResidualVsPlain.ChanceLoss:F4}; {elapsed.TotalSeconds:F1} s");
    }

    private static void WriteJson(TextWriter output, ExperimentCommand.Settings settings, IReadOnlyList<ResidualVsPlainRow> rows, IReadOnlyList<Expectation> expectations, TimeSpan elapsed)
    {
        JsonOutput.WriteObject(output, w =>
        {
            w.WriteString("experiment", ResidualVsPlain.Name);
            w.WriteBoolean("quick", settings.Quick);
            w.WriteNumber("seed", settings.Seed);
            w.WriteNumber("seconds", elapsed.TotalSeconds);
            JsonNumbers.Write(w, "chance_loss", ResidualVsPlain.ChanceLoss);
            w.WriteStartArray("rows");
            foreach (var r in rows)
                WriteRow(w, r);
            w.WriteEndArray();
            ExpectationsView.Write(w, expectations);
        });
    }

    private static void WriteRow(Utf8JsonWriter w, ResidualVsPlainRow r)
    {
        w.WriteStartObject();
        w.WriteNumber("depth", r.Depth);
        w.WriteString("variant", r.Variant);
        DiagnosisJson.WriteSpec(w, r.Config);
        w.WriteString("activation", r.Config.Activation);
        w.WriteNumber("width", r.Config.Hidden.Count > 0 ? r.Config.Hidden[0] : 0);
        JsonNumbers.Write(w, "first_to_last_ratio", r.FirstToLastRatio);
        JsonNumbers.Write(w, "orders_lost", r.OrdersLost);
        JsonNumbers.Write(w, "final_loss", r.Loss);
        JsonNumbers.Write(w, "accuracy", r.Accuracy);
        JsonNumbers.Write(w, "seconds", r.Seconds);
        w.WriteStartArray("findings");
        foreach (var f in r.Findings)
            DiagnosisJson.WriteFinding(w, f);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // Runs finish on worker threads; a lock keeps their lines whole.
    private sealed class LineProgress(Terminal terminal) : IProgress<ResidualVsPlainRow>
    {
        private readonly Lock _lock = new();

        public void Report(ResidualVsPlainRow value)
        {
            lock (_lock)
                terminal.Text($"  depth {value.Depth,-4} {value.Variant,-20} loss {Format.Fixed(value.Loss),7}  ({value.Seconds:F1} s)");
        }
    }
}
