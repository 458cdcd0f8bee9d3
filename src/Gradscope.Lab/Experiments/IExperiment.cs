namespace Gradscope.Lab.Experiments;

/// <summary>
/// One classic experiment of the catalogue (<see cref="ExperimentCatalogue"/>): a set of runs or
/// measurements (a sweep) and the expectations the paper's claim sets for them, each checked
/// against what was measured.
/// </summary>
public interface IExperiment
{
    /// <summary>The name on the command line (<c>gradscope experiment run NAME</c>), lower-case with dashes.</summary>
    string Name { get; }

    /// <summary>One line for <c>experiment list</c>: what it shows.</summary>
    string Summary { get; }

    /// <summary>The papers it reproduces, as citations ("Glorot and Bengio (2010)"); empty for none.</summary>
    IReadOnlyList<string> Papers { get; }

    /// <summary>Runs the experiment (the quick version when <see cref="ExperimentSettings.Quick"/>) and checks its expectations.</summary>
    /// <exception cref="GradscopeException">Its data cannot be found or a setting is out of range; the message says which.</exception>
    ExperimentResult Run(ExperimentSettings settings);
}
