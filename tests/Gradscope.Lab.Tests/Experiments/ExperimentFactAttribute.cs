namespace Gradscope.Lab.Tests.Experiments;

/// <summary>
/// A test that runs an experiment's quick version and asserts its expectations. These take up to
/// a minute each, so the default test run skips them; <c>.ci/run</c> runs them in a stage of their
/// own with <c>GRADSCOPE_EXPERIMENTS=1</c> (and <c>--filter Category=Experiments</c>). Put such
/// tests in the <see cref="ExperimentCollection"/> so they run one at a time, each with every core.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ExperimentFactAttribute : FactAttribute
{
    /// <summary>The variable that turns the experiment runs on.</summary>
    public const string Variable = "GRADSCOPE_EXPERIMENTS";

    /// <summary>Skips unless <see cref="Variable"/> is 1.</summary>
    public ExperimentFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
            Skip = $"an experiment run (up to a minute): set {Variable}=1 to run it (the experiments stage of .ci/run does)";
    }
}

/// <summary>Experiment runs, one at a time: each uses every core.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExperimentCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Experiments";
}
