using System.Numerics;
using Gradscope.Tensors;

namespace Gradscope.Data.Sequences;

/// <summary>
/// A batch of sequences, <c>[batch, time, features]</c>, stored time-major as one
/// <see cref="Matrix{T}"/> <c>[batch, features]</c> per time step: step t of every sequence in the
/// batch is one row-major matrix, which is exactly the operand a recurrent cell's GEMMs take at
/// step t, so no step is ever copied out of a strided buffer. All sequences of a batch share one
/// length (variable lengths are handled per batch, see <c>Gradscope.Data.Sequences</c>).
/// <see cref="Resize"/> reuses the step matrices, so a buffer sized for the longest batch serves
/// every shorter one without allocating.
/// </summary>
public sealed class Sequence<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T>[] _steps;

    /// <summary>Creates an empty sequence batch of <paramref name="features"/> features per step.</summary>
    public Sequence(int features)
        : this(0, 0, features)
    {
    }

    /// <summary>Creates a zero-filled batch of <paramref name="batch"/> sequences of <paramref name="length"/> steps.</summary>
    public Sequence(int batch, int length, int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        Features = features;
        _steps = [];
        Resize(batch, length);
    }

    /// <summary>Features per step.</summary>
    public int Features { get; }

    /// <summary>Sequences in the batch (rows of every step matrix).</summary>
    public int Batch { get; private set; }

    /// <summary>Time steps.</summary>
    public int Length { get; private set; }

    /// <summary>Step <paramref name="t"/>: <c>[batch, features]</c>.</summary>
    public Matrix<T> this[int t]
    {
        get
        {
            if ((uint)t >= (uint)Length)
                throw new ArgumentOutOfRangeException(nameof(t), t, $"The sequence has {Length} steps.");
            return _steps[t];
        }
    }

    /// <summary>
    /// Sets the batch size and length. Allocates only for step counts or batch sizes larger than
    /// any seen before; contents of reused steps are left as they were.
    /// </summary>
    public void Resize(int batch, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > _steps.Length)
        {
            int old = _steps.Length;
            Array.Resize(ref _steps, length);
            for (int t = old; t < length; t++)
                _steps[t] = new Matrix<T>(batch, Features);
        }

        for (int t = 0; t < length; t++)
            _steps[t].Resize(batch);
        Batch = batch;
        Length = length;
    }

    /// <summary>Sets every element of every step to zero.</summary>
    public void Clear()
    {
        for (int t = 0; t < Length; t++)
            _steps[t].Clear();
    }

    /// <inheritdoc/>
    public override string ToString() => $"Sequence<{typeof(T).Name}>[batch {Batch}, time {Length}, features {Features}]";
}
