using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Data.Sequences;

/// <summary>What a sequence task asks for: real targets (mean squared error) or class labels (cross-entropy).</summary>
public enum SequenceTarget
{
    /// <summary>Real-valued targets in <see cref="SequenceBatch{T}.Targets"/>.</summary>
    Regression,

    /// <summary>Class indices in <see cref="SequenceBatch{T}.Labels"/>.</summary>
    Classification,
}

/// <summary>
/// One batch of a sequence task, reused from step to step. Every sequence of a batch has the same
/// length; tasks with variable lengths draw one length per batch (so no padding or mask is needed
/// and the last hidden state is every sequence's last step). Labels and targets are one per
/// sequence (many-to-one) or one per step and sequence, time-major (many-to-many, row
/// <c>t * batch + b</c>); <see cref="SequenceTaskData"/> turns a batch into a <see cref="Dataset"/>.
/// </summary>
public sealed class SequenceBatch<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private int[] _labels = [];

    /// <summary>Creates an empty batch for a task's input and output sizes.</summary>
    public SequenceBatch(int inputSize, int outputSize)
    {
        Inputs = new Sequence<T>(inputSize);
        Targets = new Matrix<T>(0, outputSize);
    }

    /// <summary>The input sequences, <c>[batch, time, features]</c>.</summary>
    public Sequence<T> Inputs { get; }

    /// <summary>Regression targets, <c>[rows, outputs]</c>; empty for classification tasks.</summary>
    public Matrix<T> Targets { get; }

    /// <summary>Class index per output row; empty for regression tasks.</summary>
    public ReadOnlySpan<int> Labels => _labels.AsSpan(0, LabelCount);

    /// <summary>Number of labels in use.</summary>
    public int LabelCount { get; private set; }

    /// <summary>
    /// Many-to-many tasks: the first step whose outputs count toward accuracy (the copy task scores
    /// only the recall phase); 0 for many-to-one tasks.
    /// </summary>
    public int ScoredFromStep { get; set; }

    /// <summary>Labels writable for <paramref name="count"/> rows (grows the buffer only when needed).</summary>
    public Span<int> ResizeLabels(int count)
    {
        if (_labels.Length < count)
            _labels = new int[count];
        LabelCount = count;
        return _labels.AsSpan(0, count);
    }
}
