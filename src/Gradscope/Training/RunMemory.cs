using Gradscope.Memory;

namespace Gradscope.Training;

/// <summary>The memory check of a training run (<see cref="PreparedRun{T}"/>), from its config and data.</summary>
internal static class RunMemory
{
    /// <summary>
    /// Refuses the run of <paramref name="config"/> on <paramref name="rows"/> training rows when it
    /// needs more memory than the process may use. Counts the gradient monitor's trace too: every
    /// command that trains attaches one.
    /// </summary>
    /// <exception cref="MemoryLimitException">It does not fit.</exception>
    public static void Ensure(RunConfig config, NetworkSpec spec, int rows, long dataBytes) =>
        Estimate(config, spec, rows, dataBytes).Ensure("this run");

    /// <summary>The estimate <see cref="Ensure"/> checks.</summary>
    public static MemoryEstimate Estimate(RunConfig config, NetworkSpec spec, int rows, long dataBytes)
    {
        int batch = BatchRows(config, rows);
        return MemoryEstimate.For(spec, new MemoryShape
        {
            BatchSize = batch,
            ElementSize = config.UseDouble ? sizeof(double) : sizeof(float),
            Optimizer = config.Optimizer,
            WeightDecay = config.WeightDecay,
            MonitorSteps = MonitorSteps(config, rows, batch),
            DataBytes = dataBytes,
        });
    }

    /// <summary>Rows per batch: the batch size, but never more than the training rows, which no batch can exceed.</summary>
    public static int BatchRows(RunConfig config, int rows) => Math.Max(1, Math.Min(config.BatchSize, rows));

    /// <summary>How many copies of the data a run holds at once: the set, its split, its standardized split.</summary>
    public static int DataCopies(RunConfig config) => 1 + (config.TestSplit is null or > 0 ? 1 : 0) + (config.Standardize ? 1 : 0);

    // As MonitoredRun.ExpectedSteps sizes the trace.
    private static int MonitorSteps(RunConfig config, int rows, int batch)
    {
        long total = (long)((rows + batch - 1) / batch) * config.Epochs;
        if (config.MaxSteps is { } max)
            total = Math.Min(total, max);
        return (int)Math.Clamp(total, 1, 1_000_000);
    }
}
