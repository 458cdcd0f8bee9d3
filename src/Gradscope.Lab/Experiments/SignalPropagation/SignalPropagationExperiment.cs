using System.Globalization;
using Gradscope.Theory;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// <c>signal-propagation</c>: Schoenholz et al. (2017). The theory's trainability grid
/// (<see cref="TrainabilityExperiment"/>, also <c>gradscope theory --trainability</c>): tanh networks
/// with mean-field weights at sigma_b^2 = 0.05, trained briefly across depth and sigma_w^2, their
/// deepest trained depth set beside 6 xi_c.
/// </summary>
internal sealed class SignalPropagationExperiment : IExperiment
{
    /// <inheritdoc/>
    public string Name => "signal-propagation";

    /// <inheritdoc/>
    public string Summary => "tanh across sigma_w^2: the deepest trainable network against 6 xi_c, deepest at the edge of chaos";

    /// <inheritdoc/>
    public IReadOnlyList<string> Papers { get; } = ["Schoenholz, Gilmer, Ganguli and Sohl-Dickstein (2017)"];

    /// <inheritdoc/>
    public ExperimentResult Run(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var plan = settings.Quick ? PropagationPlan.Quick : PropagationPlan.Full;
        var results = new List<TrainabilityResult>(plan.Seeds);
        for (int s = 0; s < plan.Seeds; s++)
        {
            settings.Cancellation.ThrowIfCancellationRequested();
            var options = plan.Options with { Seed = settings.Seed + s, MaxParallelism = settings.Workers };
            results.Add(TrainabilityExperiment.Run(options, cell => settings.Report(
                $"seed {options.Seed}: depth {cell.Depth}, sigma_w^2 = {cell.WeightVariance.ToString("G3", CultureInfo.InvariantCulture)}: " +
                $"test accuracy {ResultValue.Percent(cell.TestAccuracy).Display()}")));
        }

        double critical = MeanField.CriticalWeightVariance(plan.Options.Activation, plan.Options.BiasVariance)
            ?? throw new GradscopeException($"{plan.Options.Activation.Name} has no critical sigma_w^2 at sigma_b^2 = {plan.Options.BiasVariance}.");
        return PropagationReport.Create(Name, plan, Summarize(results), results, critical);
    }

    /// <summary>One summary per sigma_w^2, pooling the seeds' measured depths.</summary>
    internal static PropagationSummary[] Summarize(IReadOnlyList<TrainabilityResult> results)
    {
        var first = results[0];
        var summaries = new PropagationSummary[first.Boundaries.Count];
        int deepest = 0;
        foreach (int depth in first.Options.Depths)
            deepest = Math.Max(deepest, depth);
        for (int w = 0; w < summaries.Length; w++)
        {
            var depths = new int[results.Count];
            for (int s = 0; s < depths.Length; s++)
                depths[s] = results[s].Boundaries[w].MeasuredTrainableDepth;
            var b = first.Boundaries[w];
            summaries[w] = new PropagationSummary(b.WeightVariance, b.Chi1, b.XiC, b.TrainableDepth, depths, deepest);
        }

        return summaries;
    }
}
