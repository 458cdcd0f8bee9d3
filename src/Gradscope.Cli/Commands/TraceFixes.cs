using Gradscope.Activations;
using Gradscope.Data;
using Gradscope.Diagnostics;
using Gradscope.Initialization;
using Gradscope.Lab.Fixes;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Traces;
using Gradscope.Losses;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>diagnose --trace --try-fixes --data D</c>: trains the traced architecture from scratch in
/// Gradscope (dense widths and activations from the header, the initialization its statistics
/// suggest, the optimizer and learning rate where Gradscope has them, as many steps as the trace
/// recorded) with each remedy, for the before/after table. A network Gradscope cannot express from
/// the header (conv layers, activations applied as functions, recurrent models whose sequences the
/// model's own forward() builds) is said so, and nothing is trained.
/// </summary>
internal static class TraceFixes
{
    /// <summary>The outcomes (the retrained network first), or why none could be trained.</summary>
    public sealed record Outcome(IReadOnlyList<FixOutcome> Outcomes, string? Unavailable);

    public static Outcome Run(DiagnoseTrace.Result result, DiagnoseTrace.Request request, CancellationToken stop)
    {
        var run = result.Run;
        var layers = TraceDiagnosis.LayersOf(run);
        if (run.Spec is null && WhyNot(layers) is { } why)
            return new Outcome([], why);
        var dataset = CommonOptions.LoadData(request.Data!, DataOptions.Default with { Label = request.Label });
        var config = ConfigFor(run, layers, result.Init, request);
        if (layers[0].Inputs != dataset.FeatureCount)
            throw new GradscopeException($"--data {request.Data}: {dataset.FeatureCount} features per row, but the traced network's first layer {layers[0].Layer} takes {layers[0].Inputs}.");
        var baseline = MonitoredRun.Run(config, MonitorOptions.For(MonitorPreset.Cheap), dataset, null, stop);
        if (stop.IsCancellationRequested)
            return new Outcome([FixTrials.Outcome("as traced, retrained in Gradscope", null, baseline)], null);
        return new Outcome([FixTrials.Outcome("as traced, retrained in Gradscope", null, baseline), .. FixTrials.Run(baseline, dataset, request.MaxFixes, null, null, stop)], null);
    }

    /// <summary>Why the header's layers cannot be trained in Gradscope, or null when they can.</summary>
    public static string? WhyNot(IReadOnlyList<RecordedLayer> layers)
    {
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            if (layer.Kind == "conv")
                return $"{layer.Layer} is a convolution ({layer.ModuleKind ?? "conv"}); Gradscope trains dense and recurrent networks only, so the traced architecture cannot be retrained here. Apply the remedies' PyTorch code instead.";
            if (TraceDiagnosis.IsRecurrent(layer.Kind))
                return $"{layer.Layer} is recurrent ({layer.ModuleKind ?? layer.Kind}); the model's forward() decides how sequences enter and leave it, which the trace does not record, so the traced architecture cannot be retrained here. Apply the remedies' PyTorch code instead.";
            if (layer.Kind != "dense")
                return $"{layer.Layer} is of kind '{layer.Kind}', which Gradscope cannot build.";
            if (l < layers.Count - 1 && layer.Activation == "unknown")
                return $"the activation after {layer.Layer} is applied as a function in forward() (the trace says 'unknown'), so Gradscope cannot tell which activation to train with.";
            if (l < layers.Count - 1 && layer.Activation != "identity" && !Activation.TryParse(layer.Activation, out _))
                return $"the activation '{layer.Activation}' after {layer.Layer} is not one Gradscope has.";
            if (l > 0 && layer.Inputs != layers[l - 1].Units)
                return $"{layer.Layer} takes {layer.Inputs} inputs but {layers[l - 1].Layer} gives {layers[l - 1].Units}: the layers are not one chain, so the forward() does more than the header says.";
        }

        return null;
    }

    // A Gradscope trace brings its description; a foreign one is rebuilt from its header.
    private static RunSpec ConfigFor(RunRecord run, IReadOnlyList<RecordedLayer> layers, InitMatch init, DiagnoseTrace.Request request)
    {
        int steps = Math.Max(1, run.Trace.StepNumber(run.Trace.StepCount - 1) + 1);
        if (run.Spec is { } spec)
        {
            return spec with
            {
                Data = new DataSpec { Source = request.Data!, Label = request.Label, TestSplit = spec.Data.TestSplit, Standardize = spec.Data.Standardize },
                Budget = spec.Budget with { Epochs = int.MaxValue / 2, MaxSteps = steps },
                Seed = request.Seed,
            };
        }

        var hidden = new List<LayerSpec>();
        for (int l = 0; l < layers.Count - 1; l++)
        {
            hidden.Add(new DenseSpec(layers[l].Units));
            if (TraceDiagnosis.ActivationOf(layers[l]) is { } activation)
                hidden.Add(new ActivationSpec(activation));
        }

        var (optimizer, lr) = Optimizer(run.Framework);
        var kind = OptimizerKinds.Parse(optimizer);
        return RunSpecs.ForNetwork(request.Data!, new ModelSpecDocument(layers[0].Inputs, hidden, null), InitializerFor(init)) with
        {
            Optimizer = new OptimizerSpec(kind, lr ?? RunSpecs.DefaultLearningRate(kind)),
            Loss = run.Framework?.LossFunction is "MSELoss" ? LossKind.MeanSquaredError : LossKind.CrossEntropy,
            Budget = new BudgetSpec { Epochs = int.MaxValue / 2, MaxSteps = steps, BatchSize = request.BatchSize },
            Seed = request.Seed,
        };
    }

    // The initialization the statistics suggest: the matched scheme; PyTorch's default (kaiming_uniform
    // with a = sqrt(5), bound 1/sqrt(fan_in)) as He uniform with gain 1/sqrt(3); else a normal with the measured gain.
    private static Initializer InitializerFor(InitMatch init)
    {
        if (init.Initializer is { } known)
            return known;
        if (!double.IsFinite(init.Gain))
            return new HeUniform { Gain = Math.Sqrt(1.0 / 3) };
        return init.Label.StartsWith("PyTorch", StringComparison.Ordinal) ? new HeUniform { Gain = Math.Sqrt(1.0 / 3) } : new HeNormal { Gain = init.Gain };
    }

    private static (string Name, double? LearningRate) Optimizer(FrameworkInfo? framework)
    {
        double? lr = framework is { LearningRate: var rate } && double.IsFinite(rate) && rate > 0 ? rate : null;
        double momentum = framework?.OptimizerSettings.GetValueOrDefault("momentum") ?? 0;
        return framework?.Optimizer switch
        {
            "SGD" => (momentum > 0 ? "momentum" : "sgd", lr),
            "Adam" => ("adam", lr),
            "AdamW" => ("adamw", lr),
            "RMSprop" => ("rmsprop", lr),
            _ => ("sgd", lr ?? 0.1),
        };
    }
}
