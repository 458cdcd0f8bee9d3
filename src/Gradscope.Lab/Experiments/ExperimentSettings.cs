namespace Gradscope.Lab.Experiments;

/// <summary>What every experiment of the catalogue is run with.</summary>
public sealed record ExperimentSettings
{
    /// <summary>The small version, sized to finish in under a minute on 2 cores (what CI runs), instead of the full one.</summary>
    public bool Quick { get; init; }

    /// <summary>The first seed; experiments with several seeds use <c>Seed</c>, <c>Seed + 1</c>, ...</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Runs in parallel; null for one per processor.</summary>
    public int? Parallelism { get; init; }

    /// <summary>Folder of IDX files (Fashion-MNIST) for experiments that read them; null for the default search (as <c>train --data fashion-mnist</c>).</summary>
    public string? DataDir { get; init; }

    /// <summary>Receives progress lines while the experiment runs, possibly from several threads at once; null for none.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>Stops the experiment at the next run boundary (Ctrl-C).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Degree of parallelism to use: <see cref="Parallelism"/> or the processor count.</summary>
    public int Workers => Math.Max(1, Parallelism ?? Environment.ProcessorCount);

    /// <summary>Reports a progress line, when anyone listens.</summary>
    public void Report(string line) => Progress?.Report(line);
}
