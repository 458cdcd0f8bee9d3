using Gradscope.Activations;
using Gradscope.Theory;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// <c>orthogonal-isometry</c>: Saxe et al. (2014), Pennington, Schoenholz and Ganguli (2017). A tanh
/// network at the edge of chaos (chi_1 = 1) with a small fixed-point variance q*: the squared
/// singular values of its input-output Jacobian spread out linearly with depth for Gaussian weights,
/// but stay close together for orthogonal ones (dynamical isometry).
/// </summary>
internal sealed class OrthogonalIsometryExperiment : IExperiment
{
    /// <inheritdoc/>
    public string Name => "orthogonal-isometry";

    /// <inheritdoc/>
    public string Summary => "tanh at criticality: the Jacobian's singular values spread out with depth for Gaussian weights, not for orthogonal ones";

    /// <inheritdoc/>
    public IReadOnlyList<string> Papers { get; } = ["Saxe, McClelland and Ganguli (2014)", "Pennington, Schoenholz and Ganguli (2017)"];

    /// <inheritdoc/>
    public ExperimentResult Run(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var plan = settings.Quick ? IsometryPlan.Quick : IsometryPlan.Full;
        var tanh = Activation.Parse("tanh");
        double weightVariance = MeanField.CriticalWeightVariance(tanh, IsometryPlan.BiasVariance)
            ?? throw new GradscopeException("tanh has no critical weight variance at sigma_b^2 = 1e-4.");
        var meanField = new MeanField(tanh, weightVariance, IsometryPlan.BiasVariance);
        var theory = new IsometryTheory(weightVariance, meanField.QStar, meanField.DerivativeMoment(2), meanField.DerivativeMoment(4));
        var cells = MeasureAll(plan, tanh, weightVariance, settings);
        var summaries = Summarize(plan, cells, theory);
        return IsometryReport.Create(Name, plan, theory, summaries);
    }

    /// <summary>One network's Jacobian at one input, through the engine's exact measurement.</summary>
    internal static IsometryCell MeasureCell(Activation activation, double weightVariance, int width, int depth, WeightDistribution weights, int seed)
    {
        var report = SignalPropagationMeasurement.Measure(new SignalPropagationConfig
        {
            Activation = activation,
            WeightVariance = weightVariance,
            BiasVariance = IsometryPlan.BiasVariance,
            Depth = depth,
            Width = width,
            Seeds = 1,
            Seed = seed,
            Weights = weights,
            BatchSize = 1,
            JacobianInputs = 1,
            Jacobian = JacobianMethod.Exact,
        });
        var spectrum = report.Jacobian ?? throw new InvalidOperationException("The exact Jacobian was not measured.");
        double spread = JacobianSpread.Measured(spectrum.SingularValues ?? throw new InvalidOperationException("The exact Jacobian has no singular values."));
        return new IsometryCell(depth, weights, seed, spectrum.MeanSquaredSingularValue, spread, Math.Log10(spectrum.ConditionNumber));
    }

    private static IsometryCell[] MeasureAll(IsometryPlan plan, Activation tanh, double weightVariance, ExperimentSettings settings)
    {
        WeightDistribution[] kinds = [WeightDistribution.Gaussian, WeightDistribution.Orthogonal];
        int perDepth = kinds.Length * plan.Seeds;
        var cells = new IsometryCell[plan.Depths.Count * perDepth];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.Workers, CancellationToken = settings.Cancellation };

        // Deepest first, so the long jobs do not start last and leave a core idle.
        Parallel.For(0, cells.Length, parallel, i =>
        {
            int index = cells.Length - 1 - i;
            int depth = plan.Depths[index / perDepth];
            var weights = kinds[index % perDepth / plan.Seeds];
            int seed = settings.Seed + (index % plan.Seeds);
            cells[index] = MeasureCell(tanh, weightVariance, plan.Width, depth, weights, seed);
            settings.Report($"depth {depth}, {Label(weights)} weights, seed {seed}: spread {cells[index].Spread:G3}");
        });
        return cells;
    }

    private static List<IsometrySummary> Summarize(IsometryPlan plan, IsometryCell[] cells, IsometryTheory theory)
    {
        var summaries = new List<IsometrySummary>();
        for (int start = 0; start < cells.Length; start += plan.Seeds)
        {
            var group = new ArraySegment<IsometryCell>(cells, start, plan.Seeds);
            var first = group[0];
            summaries.Add(IsometrySummary.Of(group, JacobianSpread.Predicted(first.Depth, theory.Mu1, theory.Mu2, first.Weights)));
        }

        return summaries;
    }

    /// <summary>"gaussian" or "orthogonal".</summary>
    internal static string Label(WeightDistribution weights) => weights == WeightDistribution.Gaussian ? "gaussian" : "orthogonal";
}

/// <summary>The mean-field numbers the run is set at.</summary>
/// <param name="WeightVariance">The critical sigma_w^2 at sigma_b^2 = 1e-4.</param>
/// <param name="QStar">The fixed-point variance q* there.</param>
/// <param name="Mu1">E[phi'(h)^2], h ~ N(0, q*).</param>
/// <param name="Mu2">E[phi'(h)^4].</param>
internal sealed record IsometryTheory(double WeightVariance, double QStar, double Mu1, double Mu2);
