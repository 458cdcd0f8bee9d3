using System.CommandLine;
using System.Numerics;
using Gradscope.Activations;
using Gradscope.Cli.Commands.Runs;
using Gradscope.Diagnostics;
using Gradscope.Lab.Fixes;
using Gradscope.Lab.Runs;
using Gradscope.Losses;
using Gradscope.Serialization;
using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope diagnose</c>: trains a given network (for example one trained elsewhere) for N steps
/// under the monitor, prints the findings, and with <c>--try-fixes</c> proves the remedies. Exit
/// code 1 when a finding of severity error is present, so scripts and CI can gate on it. Ctrl-C
/// stops at the next step and reports what was measured, marked interrupted (exit code 130).
/// </summary>
internal static class DiagnoseCommand
{
    private sealed record Request(
        string Model, string Data, string? Label, Activation? Activation, ModelSpecDocument? Spec, int Steps, int BatchSize, string Optimizer,
        double? LearningRate, int Seed, bool TryFixes, int MaxFixes, bool Json, int? SeqLen = null, int? Samples = null);

    public static Command Create(CliContext context)
    {
        var model = new Option<string?>("--model") { Description = "Model file (safetensors); required unless --trace is given." };
        var data = new Option<string?>("--data") { Description = "Data: a CSV, .npz or .safetensors file (x [N, F] or sequences [N, T, F], y [N]) or a built-in set name; with --trace, only for --try-fixes." };
        var trace = new Option<string?>("--trace") { Description = "Diagnose a recorded run instead: a trace file (JSON Lines) from 'gradscope train --trace' or the PyTorch hook (gradscope_torch). Exclusive with --model." };
        var label = CommonOptions.Label();
        var activation = CommonOptions.ActivationName("Activation at the places an nn.Sequential saved by PyTorch keeps no tensors for; required for such files when they have them.");
        var spec = CommonOptions.LoadSpec();
        var seqLen = CommonOptions.SeqLen();
        var samples = CommonOptions.Samples();
        var steps = new Option<int>("--steps") { Description = "Training steps to watch.", DefaultValueFactory = _ => 200 };
        var batch = new Option<int>("--batch-size") { Description = "Rows per step.", DefaultValueFactory = _ => 64 };
        var optimizer = new Option<string>("--optimizer") { Description = "Optimizer for the watched steps.", DefaultValueFactory = _ => "sgd" };
        var lr = new Option<double?>("--lr") { Description = "Learning rate (default 0.1 for SGD)." };
        var tryFixes = new Option<bool>("--try-fixes") { Description = "Re-run the same configuration with each recommended remedy (same data, seed and budget) and print a before/after table." };
        var maxFixes = new Option<int>("--max-fixes") { Description = "Remedies to try at most.", DefaultValueFactory = _ => 4 };
        var dtype = CommonOptions.Dtype();
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var store = new StoreOptions();
        var command = new Command("diagnose",
            "Diagnose a network's gradient flow by training it for a few steps under the monitor. Exit code 0 when healthy, 1 when a finding of severity error is present.\n\n" +
            "Examples:\n" +
            "  gradscope diagnose --model model.safetensors --data data.csv\n" +
            "  gradscope diagnose --model torch.safetensors --data data.csv --activation sigmoid --steps 300 --try-fixes --json\n" +
            "  gradscope diagnose --trace run.jsonl\n" +
            "  gradscope diagnose --trace run.jsonl --try-fixes --data data.csv")
        {
            model, data, trace, label, activation, spec, seqLen, samples, steps, batch, optimizer, lr, tryFixes, maxFixes, dtype, seed, json,
        };
        foreach (var option in store.All)
            command.Options.Add(option);
        command.SetAction(parsed =>
        {
            if (parsed.GetValue(trace) is { } tracePath)
            {
                CheckTraceOptions(parsed.GetValue(model), parsed.GetValue(data), parsed.GetValue(tryFixes), parsed.GetValue(activation), parsed.GetValue(spec));
                return DiagnoseTrace.Run(context, new DiagnoseTrace.Request(
                    tracePath, parsed.GetValue(json), parsed.GetValue(tryFixes), parsed.GetValue(data), parsed.GetValue(label),
                    Positive(parsed.GetValue(maxFixes), "--max-fixes"), Positive(parsed.GetValue(batch), "--batch-size"), parsed.GetValue(seed)));
            }

            if (parsed.GetValue(model) is null || parsed.GetValue(data) is null)
                throw new UsageException("diagnose needs --model and --data (train a model file under the monitor), or --trace FILE (diagnose a recorded run).");
            var hidden = parsed.GetValue(activation) is { } name ? CommonOptions.ParseActivation(name) : null;
            var request = new Request(
                parsed.GetValue(model)!, parsed.GetValue(data)!, parsed.GetValue(label), hidden, CommonOptions.ReadSpec(parsed.GetValue(spec), hidden),
                Positive(parsed.GetValue(steps), "--steps"), Positive(parsed.GetValue(batch), "--batch-size"), parsed.GetValue(optimizer)!,
                parsed.GetValue(lr), parsed.GetValue(seed), parsed.GetValue(tryFixes), Positive(parsed.GetValue(maxFixes), "--max-fixes"), parsed.GetValue(json),
                PositiveOrNull(parsed.GetValue(seqLen), "--seq-len"), PositiveOrNull(parsed.GetValue(samples), "--samples"));
            CommonOptions.CheckModelAndData(request.Model, request.Data, request.Label);
            TrainValidation.Optimizer(request.Optimizer, request.LearningRate, momentum: null, weightDecay: null);
            var recording = store.Read(parsed);
            return CommonOptions.IsDouble(parsed.GetValue(dtype)!) ? Run<double>(context, request, recording) : Run<float>(context, request, recording);
        });
        return command;
    }

    // --trace diagnoses what was recorded: the options that describe a model to train do not apply.
    private static void CheckTraceOptions(string? model, string? data, bool tryFixes, string? activation, string? spec)
    {
        if (model is not null)
            throw new UsageException("--trace and --model are exclusive: diagnose a recorded trace, or train a model file under the monitor.");
        if (activation is not null || spec is not null)
            throw new UsageException("--activation and --model-spec describe a model file; a trace's header already says what its layers are.");
        if (tryFixes && data is null)
            throw new UsageException("--try-fixes with --trace needs --data: the data to train the traced architecture on in Gradscope.");
        if (!tryFixes && data is not null)
            throw new UsageException("--data with --trace is used only by --try-fixes (the trace already holds the run's statistics).");
    }

    private static int? PositiveOrNull(int? value, string option) => value is { } v ? Positive(v, option) : null;

    private static int Positive(int value, string option) =>
        value >= 1 ? value : throw new UsageException($"{option} must be at least 1; got {value}.");

    private static int Run<T>(CliContext context, Request request, StoreRequest recording)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (loaded, dataset) = CommonOptions.LoadModelAndData<T>(request.Model, request.Activation, request.Spec, request.Data, request.Label, request.Seed, request.SeqLen, request.Samples);

        var config = LoadedRun.WithOptimizer(LoadedRun.For(loaded, dataset, request.Label, request.Seed), request.Optimizer, request.LearningRate) with
        {
            Budget = new BudgetSpec { Epochs = int.MaxValue / 2, MaxSteps = request.Steps, BatchSize = request.BatchSize },
            Loss = dataset.Regression is null ? LossKind.CrossEntropy : LossKind.MeanSquaredError,
        };
        var run = PreparedRun<T>.Create(config, dataset, null, null, loaded.Spec, loaded.Network);
        var weights = StartingWeights.Of(loaded.Network, request.Model);
        var stop = context.Interrupts.Listen();
        var baseline = MonitoredRun.Run(run, MonitorOptions.For(MonitorPreset.Cheap), stop, null, "the model file's");
        IReadOnlyList<FixOutcome> fixes = [];
        if (request.TryFixes && !stop.IsCancellationRequested)
            fixes = [FixTrials.Outcome("as given (continued)", null, baseline, weights.Unchanged()), .. FixTrials.Run(baseline, dataset, request.MaxFixes, null, weights, stop)];

        if (request.Json)
            DiagnoseReport.Json(context.Out, baseline, request.Model, fixes, request.TryFixes, stop.IsCancellationRequested);
        else
            DiagnoseReport.Text(context.CreateTerminal(), loaded.Spec.Describe(), dataset, baseline, fixes, stop.IsCancellationRequested);
        // The diagnosis and its fix trials into the run store, after the report (a failing store only warns).
        var recorded = RunRecording.SaveDiagnosis(context, recording, baseline, fixes);
        if (!request.Json && recorded.Count > 0)
            context.CreateTerminal().Text(RunRecording.Recorded(recorded, recording));
        if (stop.IsCancellationRequested)
            return context.Interrupts.ExitCode;
        return baseline.Report.Healthy ? CliApp.Success : CliApp.Failure;
    }
}
