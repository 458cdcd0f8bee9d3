using Gradscope.Diagnostics;

namespace Gradscope.Lab.Store;

/// <summary>
/// A single-producer, single-consumer ring of recorded steps, allocated once: the training thread
/// copies each step's numbers in (no allocation, no lock), the store's writer thread copies them
/// out. Slot layout: step number, loss, learning rate, wall seconds, then every statistic of every
/// layer, statistic-major. Indices only grow; a slot is free again once the writer released it.
/// </summary>
internal sealed class StepRing
{
    private const int Header = 4;

    private readonly double[] _slots;
    private readonly int _layers;
    private long _head; // steps written (producer)
    private long _tail; // steps released (consumer)

    public StepRing(int layers, int capacity)
    {
        _layers = layers;
        Capacity = capacity;
        SlotLength = Header + (LayerStatNames.Count * layers);
        _slots = new double[(long)capacity * SlotLength];
    }

    /// <summary>Slots in the ring.</summary>
    public int Capacity { get; }

    /// <summary>Doubles per slot.</summary>
    public int SlotLength { get; }

    /// <summary>Steps written and not yet released.</summary>
    public int Pending => (int)(Volatile.Read(ref _head) - Volatile.Read(ref _tail));

    /// <summary>Index of the first step not yet released.</summary>
    public long Tail => Volatile.Read(ref _tail);

    /// <summary>Index after the last step written.</summary>
    public long Head => Volatile.Read(ref _head);

    /// <summary>A slot's size in bytes for <paramref name="layers"/> layers.</summary>
    public static long SlotBytes(int layers) => (Header + ((long)LayerStatNames.Count * layers)) * sizeof(double);

    /// <summary>Copies recorded index <paramref name="step"/> of <paramref name="trace"/> in; false when the ring is full.</summary>
    public bool TryWrite(Trace trace, int step)
    {
        long head = _head;
        if (head - Volatile.Read(ref _tail) >= Capacity)
            return false;
        var slot = _slots.AsSpan((int)(head % Capacity) * SlotLength, SlotLength);
        slot[0] = trace.StepNumber(step);
        slot[1] = trace.Loss(step);
        slot[2] = trace.LearningRate(step);
        slot[3] = trace.WallSeconds(step);
        for (int stat = 0; stat < LayerStatNames.Count; stat++)
            trace.AtStep((LayerStat)stat, step).CopyTo(slot.Slice(Header + (stat * _layers), _layers));
        // Publishes the slot's contents together with the new head (release).
        Volatile.Write(ref _head, head + 1);
        return true;
    }

    /// <summary>Step <paramref name="index"/> (between <see cref="Tail"/> and <see cref="Head"/>): its header numbers and its statistics.</summary>
    public (int Step, double Loss, double LearningRate, double WallSeconds) Read(long index, Span<double> stats)
    {
        var slot = _slots.AsSpan((int)(index % Capacity) * SlotLength, SlotLength);
        slot[Header..].CopyTo(stats);
        return ((int)slot[0], slot[1], slot[2], slot[3]);
    }

    /// <summary>Frees every slot before <paramref name="upTo"/>.</summary>
    public void Release(long upTo) => Volatile.Write(ref _tail, upTo);
}
