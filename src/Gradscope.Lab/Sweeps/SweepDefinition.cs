namespace Gradscope.Lab.Sweeps;

/// <summary>
/// A sweep: a named set of runs described by training options (the names of <c>train</c>'s
/// options without dashes: <c>layers</c>, <c>activation</c>, <c>lr</c>). <see cref="Base"/> holds
/// the settings every trial shares; the points are the product of <see cref="Grid"/>, then each
/// of <see cref="Trials"/>, then <see cref="Random"/>'s samples; every point runs once per seed.
/// Stored as JSON (<see cref="SweepJson"/>, schema <c>docs/schemas/sweep.v1.schema.json</c>).
/// </summary>
public sealed record SweepDefinition
{
    /// <summary>The version of the JSON format this build writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The sweep's name; its trials are tagged <c>sweep:NAME</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Settings shared by every trial.</summary>
    public IReadOnlyList<SweepSetting> Base { get; init; } = [];

    /// <summary>Axes whose product gives the grid's points; empty for none.</summary>
    public IReadOnlyList<SweepAxis> Grid { get; init; } = [];

    /// <summary>Points listed one by one, each a set of settings on top of <see cref="Base"/>.</summary>
    public IReadOnlyList<IReadOnlyList<SweepSetting>> Trials { get; init; } = [];

    /// <summary>Random search: points drawn from ranges; null for none.</summary>
    public RandomSearch? Random { get; init; }

    /// <summary>The seeds each point runs with.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [1];
}

/// <summary>One training option and its value as <c>train</c> would read it (<c>layers</c> = <c>2x32</c>).</summary>
/// <param name="Option">The option's name without dashes.</param>
/// <param name="Value">Its value as text; <c>true</c>/<c>false</c> for a flag.</param>
public sealed record SweepSetting(string Option, string Value);

/// <summary>One axis of a grid: an option and the values it takes.</summary>
/// <param name="Option">The option's name without dashes.</param>
/// <param name="Values">Its values, in order.</param>
public sealed record SweepAxis(string Option, IReadOnlyList<string> Values);

/// <summary>Random search: <paramref name="Count"/> points drawn from <paramref name="Parameters"/>, reproducibly from <paramref name="Seed"/>.</summary>
/// <param name="Count">Points to draw.</param>
/// <param name="Seed">Seeds the draws (not the trials' training seeds).</param>
/// <param name="Parameters">The options drawn and their ranges.</param>
public sealed record RandomSearch(int Count, int Seed, IReadOnlyList<RandomParameter> Parameters);

/// <summary>How a random parameter is drawn.</summary>
public enum RandomDistribution
{
    /// <summary>Uniform in [low, high].</summary>
    Uniform,

    /// <summary>Uniform in log space over [low, high] (both positive): learning rates, decays.</summary>
    LogUniform,

    /// <summary>One of a list, each equally likely.</summary>
    Choice,
}

/// <summary>One option of a random search and its range.</summary>
/// <param name="Option">The option's name without dashes.</param>
/// <param name="Distribution">How it is drawn.</param>
/// <param name="Low">Lower end (uniform, log-uniform).</param>
/// <param name="High">Upper end (uniform, log-uniform).</param>
/// <param name="Choices">The values of a choice; empty otherwise.</param>
public sealed record RandomParameter(string Option, RandomDistribution Distribution, double Low, double High, IReadOnlyList<string> Choices);
