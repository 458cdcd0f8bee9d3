namespace Gradscope.Training;

/// <summary>How to train: budget, batching, seed and gradient clipping.</summary>
public sealed record TrainerOptions
{
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Rows per mini-batch; the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Seeds the batch order.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>When set, stop after this many steps even mid-epoch.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Clip the gradients' global L2 norm to this value (torch.nn.utils.clip_grad_norm_).</summary>
    public double? ClipNorm { get; init; }

    /// <summary>Clip every gradient element to [-value, value].</summary>
    public double? ClipValue { get; init; }

    /// <summary>
    /// When true (the default), a network of small dense layers trains each batch of 32 rows or
    /// more as two halves, one per core, their weight gradients added at the end of the backward
    /// pass. The result is deterministic either way, but a weight gradient summed in two parts
    /// differs in its last bits from one summed in one pass; false always runs the batch as one.
    /// A trainer created inside <see cref="ComputeThreads.SingleThreaded"/> never splits.
    /// </summary>
    public bool SplitBatch { get; init; } = true;

    /// <summary>Evaluate on the full training set after each epoch (costs one forward pass over it).</summary>
    public bool EvaluateTrainSet { get; init; } = true;

    /// <summary>Validates the options, with a message for the user.</summary>
    public void Validate()
    {
        if (Epochs < 1)
            throw new GradscopeException($"Epochs must be at least 1; got {Epochs}.");
        if (BatchSize < 1)
            throw new GradscopeException($"Batch size must be at least 1; got {BatchSize}.");
        if (MaxSteps is < 1)
            throw new GradscopeException($"Max steps must be at least 1; got {MaxSteps}.");
        if (ClipNorm is { } norm && !(norm > 0))
            throw new GradscopeException($"Clip norm must be positive; got {norm}.");
        if (ClipValue is { } value && !(value > 0))
            throw new GradscopeException($"Clip value must be positive; got {value}.");
    }
}
