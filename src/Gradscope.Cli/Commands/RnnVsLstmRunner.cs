using System.Diagnostics;
using System.Text.Json;
using Gradscope.Cli.Commands.Runs;
using Gradscope.Cli.Output;
using Gradscope.Recurrent.Experiments;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>Runs <c>experiment rnn-vs-lstm</c> and prints its table (or JSON) and its expected outcomes.</summary>
internal static class RnnVsLstmRunner
{
    public static int Run(CliContext context, ExperimentCommand.Settings settings)
    {
        var options = new RnnVsLstmOptions { Quick = settings.Quick, Seed = settings.Seed };
        var terminal = context.CreateTerminal();
        var clock = Stopwatch.StartNew();
        IReadOnlyList<RnnVsLstmRow> rows;
        if (settings.Json)
        {
            rows = RnnVsLstm.Run(options);
        }
        else
        {
            var lengths = RnnVsLstm.Lengths(settings.Quick);
            terminal.Line($"[bold]Gradscope experiment {RnnVsLstm.Name}[/]  adding problem, T = {string.Join(", ", lengths)}; rnn (tanh), lstm, gru; " +
                $"{options.HiddenSize} units, lstm forget bias {options.ForgetGateBias}, Adam lr {options.LearningRate}, clip {options.ClipNorm}, " +
                $"steps {(settings.Quick ? "800" : "max(3000, 60 T)")}, seed {settings.Seed}");
            rows = RnnVsLstm.Run(options, new LineProgress(terminal));
        }

        var expectations = RnnVsLstm.Expectations(rows);
        var recorded = Record(context, settings.Store, rows);
        if (settings.Json)
            WriteJson(context.Out, settings, rows, expectations, clock.Elapsed);
        else
            WriteTable(terminal, rows, expectations, clock.Elapsed);
        if (!settings.Json && recorded.Count > 0)
            terminal.Text(RunRecording.Recorded(recorded, settings.Store));
        return CliApp.Success;
    }

    // Every (T, cell) run into the store, named by both and tagged with the experiment.
    private static IReadOnlyList<string> Record(CliContext context, StoreRequest store, IReadOnlyList<RnnVsLstmRow> rows) =>
        RunRecording.SaveExperiment(context, store, RnnVsLstm.Name, rows.Select(row => (row.Run, $"{row.Cell} T={row.Length}")));

    private static void WriteTable(Terminal terminal, IReadOnlyList<RnnVsLstmRow> rows, IReadOnlyList<Expectation> expectations, TimeSpan elapsed)
    {
        var table = Terminal.NewTable(terminal.Plain, "T", "cell", "accuracy", "chance", "final loss", "memory horizon", "|dL/dh_0|/|dL/dh_T|", "decay/step", "orders lost", "findings");
        foreach (var r in rows)
        {
            table.AddRow(r.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Cell, Format.Percent(r.Accuracy), Format.Percent(r.ChanceAccuracy),
                Format.Fixed(r.FinalLoss), r.HorizonReached ? $"{r.MemoryHorizon}" : $">= {r.MemoryHorizon}", Format.Sci(r.GradientRatio), Format.Fixed(r.DecayPerStep, 3), Format.Fixed(r.OrdersLost, 1), FindingsView.Kinds(r.Findings));
        }

        terminal.Write(table);
        ExpectationsView.Write(terminal, expectations);
        terminal.Text($"memory horizon: steps back until ||dL/dh_t|| < 1e-3 of its value one step back, over the diagnosis's late window; accuracy and loss on held-out sequences; {elapsed.TotalSeconds:F1} s");
    }

    private static void WriteJson(TextWriter output, ExperimentCommand.Settings settings, IReadOnlyList<RnnVsLstmRow> rows, IReadOnlyList<Expectation> expectations, TimeSpan elapsed)
    {
        JsonOutput.WriteObject(output, w =>
        {
            w.WriteString("experiment", RnnVsLstm.Name);
            w.WriteBoolean("quick", settings.Quick);
            w.WriteNumber("seed", settings.Seed);
            w.WriteNumber("seconds", elapsed.TotalSeconds);
            w.WriteStartArray("rows");
            foreach (var r in rows)
                WriteRow(w, r);
            w.WriteEndArray();
            ExpectationsView.Write(w, expectations);
        });
    }

    private static void WriteRow(Utf8JsonWriter w, RnnVsLstmRow r)
    {
        w.WriteStartObject();
        w.WriteNumber("length", r.Length);
        w.WriteString("cell", r.Cell);
        DiagnosisJson.WriteSpec(w, r.Config);
        JsonNumbers.Write(w, "accuracy", r.Accuracy);
        JsonNumbers.Write(w, "chance_accuracy", r.ChanceAccuracy);
        JsonNumbers.Write(w, "final_loss", r.FinalLoss);
        w.WriteNumber("memory_horizon", r.MemoryHorizon);
        w.WriteBoolean("horizon_reached", r.HorizonReached);
        JsonNumbers.Write(w, "gradient_ratio", r.GradientRatio);
        JsonNumbers.Write(w, "decay_per_step", r.DecayPerStep);
        JsonNumbers.Write(w, "orders_lost", r.OrdersLost);
        JsonNumbers.Write(w, "lambda1", r.Lambda1);
        JsonNumbers.Write(w, "seconds", r.Seconds);
        w.WriteStartArray("grad_norm_from_end");
        foreach (double v in r.Profile)
        {
            if (double.IsFinite(v))
                w.WriteNumberValue(v);
            else
                w.WriteNullValue();
        }

        w.WriteEndArray();
        w.WriteStartArray("findings");
        foreach (var f in r.Findings)
            DiagnosisJson.WriteFinding(w, f);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // Runs finish on worker threads; a lock keeps their lines whole.
    private sealed class LineProgress(Terminal terminal) : IProgress<RnnVsLstmRow>
    {
        private readonly Lock _lock = new();

        public void Report(RnnVsLstmRow value)
        {
            lock (_lock)
                terminal.Text($"  T={value.Length,-4} {value.Cell,-5} accuracy {Format.Percent(value.Accuracy),6}  ({value.Seconds:F1} s)");
        }
    }
}
