namespace Gradscope.Lab.Experiments;

/// <summary>
/// Every built-in experiment, in the order <c>experiment list</c> shows them. Adding one is one
/// line here plus its class.
/// </summary>
public static class ExperimentCatalogue
{
    /// <summary>All experiments.</summary>
    public static IReadOnlyList<IExperiment> All { get; } =
    [
        new RnnVsLstmExperiment(),
        new ResidualVsPlainExperiment(),
        new DepthScanExperiment(),
        new Glorot2010Experiment(),
        new He2015Experiment(),
        new SignalPropagationExperiment(),
        new OrthogonalIsometryExperiment(),
        new SquashingExperiment(),
    ];

    /// <summary>The experiment named <paramref name="name"/> (case-insensitive); null when there is none.</summary>
    public static IExperiment? Find(string name)
    {
        foreach (var experiment in All)
        {
            if (string.Equals(experiment.Name, name, StringComparison.OrdinalIgnoreCase))
                return experiment;
        }

        return null;
    }

    /// <summary>The names of all experiments, in catalogue order.</summary>
    public static IReadOnlyList<string> Names()
    {
        var names = new string[All.Count];
        for (int i = 0; i < names.Length; i++)
            names[i] = All[i].Name;
        return names;
    }
}
