using Gradscope.Memory;
using Gradscope.Optimizers;
using Gradscope.Training;

namespace Gradscope.Lab.Runs;

/// <summary>The memory check of a training run (<see cref="PreparedRun{T}"/>), from its description and data.</summary>
internal static class RunMemory
{
    /// <summary>
    /// Refuses the run of <paramref name="spec"/> on <paramref name="rows"/> training rows when it
    /// needs more memory than the process may use. Counts the gradient monitor's trace too: every
    /// command that trains attaches one.
    /// </summary>
    /// <exception cref="MemoryLimitException">It does not fit.</exception>
    public static void Ensure(RunSpec spec, NetworkSpec network, int rows, long dataBytes) =>
        Estimate(spec, network, rows, dataBytes).Ensure("this run");

    /// <summary>The estimate <see cref="Ensure"/> checks.</summary>
    public static MemoryEstimate Estimate(RunSpec spec, NetworkSpec network, int rows, long dataBytes)
    {
        int batch = BatchRows(spec.Budget.BatchSize, rows);
        return MemoryEstimate.For(network, new MemoryShape
        {
            BatchSize = batch,
            ElementSize = spec.DType == NumberType.Float64 ? sizeof(double) : sizeof(float),
            Optimizer = spec.Optimizer.Kind.Name(),
            WeightDecay = spec.Optimizer.WeightDecay,
            MonitorSteps = MonitoredRun.ExpectedSteps(rows, batch, spec.Budget),
            DataBytes = dataBytes,
        });
    }

    /// <summary>Rows per batch: the batch size, but never more than the training rows, which no batch can exceed.</summary>
    public static int BatchRows(int batchSize, int rows) => Math.Max(1, Math.Min(batchSize, rows));

    /// <summary>How many copies of the data a run holds at once: the set, its split, its standardized split.</summary>
    public static int DataCopies(RunSpec spec) => 1 + (spec.Data.TestSplit is null or > 0 ? 1 : 0) + (spec.Data.Standardize ? 1 : 0);
}
