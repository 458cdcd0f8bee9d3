using System.CommandLine;
using System.Diagnostics;
using System.Numerics;
using Gradscope.Cli.Commands.Runs;
using Gradscope.Data;
using Gradscope.Data.Sequences;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;
using Gradscope.Serialization;
using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary><c>gradscope train</c>: trains a dense network with a progress bar, then prints a summary.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var options = new TrainOptions();
        var store = new StoreOptions();
        var command = new Command("train",
            "Train a deep dense network and report loss and accuracy.\n\n" +
            "Examples:\n" +
            "  gradscope train --data spiral --layers 4x32 --activation relu --init he-normal\n" +
            "  gradscope train --data spiral --layers 10x32 --activation tanh --init glorot-uniform --optimizer sgd --lr 0.1 --epochs 30 --batch-size 64 --seed 1 --save model.safetensors\n" +
            "  gradscope train --data digits --layers 64,32 --optimizer adam --dtype float64\n" +
            "  gradscope train --data spiral --layers 10x32 --activation tanh --print-spec > run.json\n" +
            "  gradscope train --run-spec run.json --save model.safetensors");
        foreach (var option in options.All)
            command.Options.Add(option);
        foreach (var option in store.All)
            command.Options.Add(option);
        command.SetAction(parsed => Run(context, options, store, parsed));
        return command;
    }

    private sealed record Outputs(string? Save, bool Json, MonitorPreset Monitor, string? Trace, string? Report, StoreRequest Store);

    private static int Run(CliContext context, TrainOptions o, StoreOptions store, ParseResult parsed)
    {
        var config = TrainSpec.Config(o, parsed);
        if (parsed.GetValue(o.PrintSpec))
            return TrainSpec.Print(context, config.Spec);
        var outputs = new Outputs(parsed.GetValue(o.Save), parsed.GetValue(o.Json), MonitorFor(o, parsed), parsed.GetValue(o.Trace), parsed.GetValue(o.Report), store.Read(parsed));
        if (outputs.Trace is not null && outputs.Monitor == MonitorPreset.Off)
            throw new UsageException("--trace needs the monitor: use --monitor cheap, standard or full.");
        if (outputs.Report is not null && outputs.Monitor == MonitorPreset.Off)
            throw new UsageException("--report needs the monitor: use --monitor cheap, standard or full.");
        var files = TrainOutputs.Plan(context, config.Spec, parsed.GetValue(o.ModelSpec), parsed.GetValue(o.RunSpec), new TrainOutputs.Paths(outputs.Save, outputs.Trace, outputs.Report), outputs.Json);
        return config.Spec.DType == NumberType.Float64 ? Run<double>(files.Report, config, outputs, files) : Run<float>(files.Report, config, outputs, files);
    }

    // A report shows histograms, so --report records them (standard) unless --monitor says otherwise.
    private static MonitorPreset MonitorFor(TrainOptions o, ParseResult parsed)
    {
        var preset = CommonOptions.AsUsage(() => MonitorOptions.ParsePreset(parsed.GetValue(o.Monitor)!));
        bool given = parsed.GetResult(o.Monitor) is { Implicit: false };
        return parsed.GetValue(o.Report) is not null && !given ? MonitorPreset.Standard : preset;
    }

    internal static RunFlags ToFlags(TrainOptions o, ParseResult parsed)
    {
        var config = new RunFlags
        {
            Data = parsed.GetValue(o.Data)!,
            DataOptions = new DataOptions
            {
                Count = parsed.GetValue(o.Samples),
                Classes = parsed.GetValue(o.Classes),
                Noise = parsed.GetValue(o.Noise),
                DataDir = parsed.GetValue(o.DataDir),
                Label = parsed.GetValue(o.Label),
                Limit = parsed.GetValue(o.Samples),
                SequenceLength = parsed.GetValue(o.SeqLen),
            },
            TestSplit = parsed.GetValue(o.TestSplit),

            // A sequence task's values are already on unit scale; a standardizer of T * F columns would not fit the per-step network.
            Standardize = !parsed.GetValue(o.NoStandardize) && !SequenceTaskData.IsTask(parsed.GetValue(o.Data)!),
            Hidden = CommonOptions.AsUsage(() => NetworkSpec.ParseLayers(parsed.GetValue(o.Layers)!)),
            Activation = CommonOptions.ParseActivation(parsed.GetValue(o.Activation)!).Name,
            Norm = ParseNorm(parsed.GetValue(o.Norm)!),
            Residual = parsed.GetValue(o.Residual),
            Dropout = parsed.GetValue(o.Dropout),
            ModelSpec = ReadModelSpec(OptionChecks.Path(parsed.GetValue(o.ModelSpec), "--model-spec")),
            ModelSpecSource = parsed.GetValue(o.ModelSpec) ?? "model spec",
            Init = parsed.GetValue(o.Init)!,
            Optimizer = parsed.GetValue(o.Optimizer)!,
            LearningRate = parsed.GetValue(o.LearningRate),
            Momentum = parsed.GetValue(o.Momentum),
            WeightDecay = parsed.GetValue(o.WeightDecay),
            Schedule = parsed.GetValue(o.Schedule)!,
            Loss = LossFor(parsed, o),
            Epochs = parsed.GetValue(o.Epochs),
            BatchSize = parsed.GetValue(o.BatchSize),
            MaxSteps = parsed.GetValue(o.MaxSteps),
            ClipNorm = parsed.GetValue(o.ClipNorm),
            ClipValue = parsed.GetValue(o.ClipValue),
            Seed = parsed.GetValue(o.Seed),
            UseDouble = CommonOptions.IsDouble(parsed.GetValue(o.Dtype)!),
        };
        TrainValidation.Check(config, o, parsed);
        return config;
    }

    // A regression task trains with mean squared error unless --loss says otherwise.
    private static string LossFor(ParseResult parsed, TrainOptions o) =>
        parsed.GetResult(o.Loss) is { Implicit: false } || !SequenceTaskData.IsRegression(parsed.GetValue(o.Data)!) ? parsed.GetValue(o.Loss)! : "mse";

    private static string ParseNorm(string text)
    {
        try
        {
            NetworkSpec.ParseNorm(text);
            return text;
        }
        catch (GradscopeException ex)
        {
            throw new UsageException("--norm: " + ex.Message);
        }
    }

    // The spec is checked here so that its errors name the file; the config keeps the text.
    private static string? ReadModelSpec(string? path)
    {
        if (path is null)
            return null;
        if (!File.Exists(path))
            throw new GradscopeException($"Model spec file '{path}' does not exist.");
        string json = File.ReadAllText(path);
        SpecShapes.Check(ModelSpecJson.Parse(json, path), path);
        return json;
    }


    private static int Run<T>(CliContext context, TrainRun config, Outputs outputs, TrainOutputs files)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var terminal = context.CreateTerminal();
        var run = PreparedRun<T>.Create(config.Spec, null, config.NetworkSource, config.FromFlags);
        GradientMonitor<T>? monitor = null;
        if (outputs.Monitor != MonitorPreset.Off)
        {
            monitor = new GradientMonitor<T>(run.Network, MonitorOptions.For(outputs.Monitor), MonitoredRun.ExpectedSteps(run));
            run.Trainer.AddObserver(monitor);
        }

        // After the monitor, so each step it records is complete when the recorder copies it.
        var record = RunRecording.NewRecord("train", config.Spec, monitor?.Trace ?? new Gradscope.Diagnostics.Trace([], [], [], "identity", 1));
        var recorder = monitor is null ? null : RunRecording.Start<T>(context, outputs.Store, record);
        if (recorder is not null)
            run.Trainer.AddObserver(recorder);

        if (!outputs.Json)
            TrainReport.Header(terminal, run);

        using var trace = files.StartTrace(run, monitor, record.Id);
        var stop = context.Interrupts.Listen();
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        TrainingResult result;
        try
        {
            result = outputs.Json ? run.Trainer.Train(run.Train, run.Test, stop) : TrainProgress.Run(terminal, run, stop);
        }
        catch (Exception ex) when (recorder is not null)
        {
            RunRecording.Finish(context, recorder, new RunEnd(RunStatus.Failed, DateTimeOffset.UtcNow, RunMetrics.None, []) { Error = ex.Message });
            throw;
        }

        clock.Stop();

        files.Keep(run, result);
        var report = monitor is null ? null : Diagnosis.Run(MonitoredRun.Context(monitor.Trace, config.Spec));
        trace?.Complete(TrainOutputs.StatusOf(result.Status), TrainOutputs.FinalOf(result), report?.Findings ?? [], result.Message);
        if (monitor is not null && files.HtmlReport is not null)
        {
            var reported = ReportRecords.For(config.Spec, result, monitor.Trace, report?.Findings ?? [], "train", config.Title, started) with { Id = record.Id };
            files.WriteReport(reported);
        }

        string? recorded = Record(context, outputs, run, result, report, record, recorder);

        if (outputs.Json)
        {
            TrainReport.Json(context.Out, run, result, clock.Elapsed, report, recorded);
        }
        else
        {
            TrainReport.Summary(terminal, run, result, clock.Elapsed, outputs.Save);
            if (report is not null)
                TrainReport.Findings(terminal, result, report);
            if (outputs.Trace is not null)
                terminal.Text($"wrote trace to {outputs.Trace}");
            if (outputs.Report is not null)
                terminal.Text($"wrote report to {outputs.Report}");
            if (recorded is not null)
                terminal.Text($"recorded run {recorded} in {outputs.Store.Path}");
        }

        if (result.Status == TrainingStatus.Diverged)
            context.Error.WriteLine($"error: {result.Message}");

        // A Ctrl-C that came after the last step still ends the run as interrupted, with everything kept.
        if (result.Status == TrainingStatus.Interrupted || context.Interrupts.StopRequested)
            return context.Interrupts.ExitCode;
        return result.Status == TrainingStatus.Diverged ? CliApp.Failure : CliApp.Success;
    }

    // The run's end into the store: live through the recorder, or whole when the monitor was off.
    private static string? Record<T>(CliContext context, Outputs outputs, PreparedRun<T> run, TrainingResult result, DiagnosisReport? report, RunRecord record, RunRecorder<T>? recorder)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool interrupted = result.Status == TrainingStatus.Interrupted || context.Interrupts.StopRequested;
        var status = interrupted ? RunStatus.Interrupted : RunRecording.StatusOf(result.Status);
        byte[]? model = null;
        if (outputs.Save is not null && result.Status != TrainingStatus.Diverged && outputs.Store.Path is not null)
        {
            using var buffer = new MemoryStream();
            ModelFile.Save(buffer, outputs.Save, run.Spec, run.Network, run.Standardizer, run.ClassLabels, interrupted);
            model = buffer.ToArray();
        }

        var end = new RunEnd(status, DateTimeOffset.UtcNow, RunRecording.Metrics(result), report?.Findings ?? [])
        {
            Error = result.Status == TrainingStatus.Diverged ? result.Message : null,
            FirstNonFinite = record.Trace.FirstNonFinite,
            Model = model,
        };
        if (recorder is not null)
        {
            RunRecording.Finish(context, recorder, end);
            return recorder.Failed ? null : recorder.RunId;
        }

        if (outputs.Monitor != MonitorPreset.Off)
            return null;
        return RunRecording.Save(context, outputs.Store, record with { Status = status, Ended = end.Ended, Final = end.Final }, model);
    }
}
