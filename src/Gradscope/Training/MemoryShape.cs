namespace Gradscope.Training;

/// <summary>How a network is run, for <see cref="MemoryEstimate"/>.</summary>
public sealed record MemoryShape
{
    /// <summary>Rows per batch (for a run: the batch size, but never more than the training rows).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Bytes per value: 4 for float32, 8 for float64.</summary>
    public int ElementSize { get; init; } = sizeof(float);

    /// <summary>The optimizer's name, or null for a forward and backward pass without updates (inspection).</summary>
    public string? Optimizer { get; init; } = "sgd";

    /// <summary>Weight decay; coupled decay (all but AdamW) keeps a decayed gradient per parameter.</summary>
    public double? WeightDecay { get; init; }

    /// <summary>Whether the trainer may split batches (<see cref="Training.TrainerOptions.SplitBatch"/>).</summary>
    public bool SplitBatch { get; init; } = true;

    /// <summary>Steps the gradient monitor sizes its trace for; 0 without a monitor.</summary>
    public int MonitorSteps { get; init; }

    /// <summary>Bytes of the data set and its copies, counted with the rest.</summary>
    public long DataBytes { get; init; }
}
