using System.CommandLine;
using System.Diagnostics;
using System.Numerics;
using Gradscope.Data;
using Gradscope.Data.Sequences;
using Gradscope.Diagnostics;
using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary><c>gradscope train</c>: trains a dense network with a progress bar, then prints a summary.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var options = new TrainOptions();
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
        command.SetAction(parsed => Run(context, options, parsed));
        return command;
    }

    private sealed record Outputs(string? Save, bool Json, MonitorPreset Monitor, string? Trace);

    private static int Run(CliContext context, TrainOptions o, ParseResult parsed)
    {
        var config = TrainSpec.Config(o, parsed);
        if (parsed.GetValue(o.PrintSpec))
            return TrainSpec.Print(context, config);
        var outputs = new Outputs(parsed.GetValue(o.Save), parsed.GetValue(o.Json), CommonOptions.AsUsage(() => MonitorOptions.ParsePreset(parsed.GetValue(o.Monitor)!)), parsed.GetValue(o.Trace));
        if (outputs.Trace is not null && outputs.Monitor == MonitorPreset.Off)
            throw new UsageException("--trace needs the monitor: use --monitor cheap, standard or full.");
        var files = TrainOutputs.Plan(context, config, parsed.GetValue(o.ModelSpec), parsed.GetValue(o.RunSpec), outputs.Save, outputs.Trace, outputs.Json);
        return config.UseDouble ? Run<double>(files.Report, config, outputs, files) : Run<float>(files.Report, config, outputs, files);
    }

    internal static RunConfig ToConfig(TrainOptions o, ParseResult parsed)
    {
        var config = new RunConfig
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


    private static int Run<T>(CliContext context, RunConfig config, Outputs outputs, TrainOutputs files)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Usage problems in the specs surface before any data is loaded.
        _ = config.ParsedInitializer;
        var terminal = context.CreateTerminal();
        var run = PreparedRun<T>.Create(config);
        GradientMonitor<T>? monitor = null;
        if (outputs.Monitor != MonitorPreset.Off)
        {
            monitor = new GradientMonitor<T>(run.Network, MonitorOptions.For(outputs.Monitor), MonitoredRun.ExpectedSteps(run));
            run.Trainer.AddObserver(monitor);
        }

        if (!outputs.Json)
            TrainReport.Header(terminal, run);

        var stop = context.Interrupts.Listen();
        var clock = Stopwatch.StartNew();
        var result = outputs.Json ? run.Trainer.Train(run.Train, run.Test, stop) : TrainProgress.Run(terminal, run, stop);
        clock.Stop();

        files.Keep(run, monitor, result);
        var report = monitor is null ? null : Diagnosis.Run(DiagnosisContext.For(monitor.Trace, config));

        if (outputs.Json)
        {
            TrainReport.Json(context.Out, run, result, clock.Elapsed, report);
        }
        else
        {
            TrainReport.Summary(terminal, run, result, clock.Elapsed, outputs.Save);
            if (report is not null)
                TrainReport.Findings(terminal, result, report);
            if (outputs.Trace is not null)
                terminal.Text($"wrote trace to {outputs.Trace}");
        }

        if (result.Status == TrainingStatus.Diverged)
            context.Error.WriteLine($"error: {result.Message}");

        // A Ctrl-C that came after the last step still ends the run as interrupted, with everything kept.
        if (result.Status == TrainingStatus.Interrupted || context.Interrupts.StopRequested)
            return context.Interrupts.ExitCode;
        return result.Status == TrainingStatus.Diverged ? CliApp.Failure : CliApp.Success;
    }
}
