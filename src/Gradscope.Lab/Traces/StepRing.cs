using Gradscope.Diagnostics;

namespace Gradscope.Lab.Traces;

/// <summary>
/// A fixed ring of recorded steps between the training thread (producer) and the trace writer's
/// thread (consumer), so that recording a step costs a copy of its numbers and an uncontended lock,
/// and allocates nothing. A slot holds the step number, loss, learning rate, wall time and every
/// statistic for every layer (<see cref="LayerStat"/> order, layers inside). When the ring is full
/// the producer waits for the writer: a trace never drops a step.
/// </summary>
internal sealed class StepRing
{
    public const int ScalarCount = 3;

    // About 8 MB of slots, at least 16 and at most 4096 of them.
    private const int TargetDoubles = 1 << 20;

    private readonly double[] _slots;
    private readonly int[] _stepNumbers;

    public StepRing(int layerCount)
    {
        LayerCount = layerCount;
        Stride = ScalarCount + (LayerStatNames.Count * layerCount);
        Capacity = Math.Clamp(TargetDoubles / Stride, 16, 4096);
        _slots = new double[Capacity * Stride];
        _stepNumbers = new int[Capacity];
    }

    public int LayerCount { get; }

    public int Stride { get; }

    public int Capacity { get; }

    /// <summary>Steps written into the ring so far (the producer's count); guarded by the writer's lock.</summary>
    public long Head { get; set; }

    /// <summary>Steps the consumer has written out; guarded by the writer's lock.</summary>
    public long Tail { get; set; }

    public bool IsFull => Head - Tail == Capacity;

    /// <summary>Copies recorded index <paramref name="index"/> of <paramref name="trace"/> into the slot of step <see cref="Head"/>.</summary>
    public void Fill(Trace trace, int index)
    {
        int slot = (int)(Head % Capacity);
        _stepNumbers[slot] = trace.StepNumber(index);
        var values = _slots.AsSpan(slot * Stride, Stride);
        values[0] = trace.Loss(index);
        values[1] = trace.LearningRate(index);
        values[2] = trace.WallSeconds(index);
        for (int i = 0; i < LayerStatNames.Count; i++)
            trace.AtStep((LayerStat)i, index).CopyTo(values.Slice(ScalarCount + (i * LayerCount), LayerCount));
    }

    public int StepNumber(long position) => _stepNumbers[(int)(position % Capacity)];

    public ReadOnlySpan<double> Scalars(long position) => _slots.AsSpan((int)(position % Capacity) * Stride, ScalarCount);

    public ReadOnlySpan<double> Stats(long position) => _slots.AsSpan(((int)(position % Capacity) * Stride) + ScalarCount, Stride - ScalarCount);
}
