using System.Numerics;

namespace Gradscope.Tensors;

/// <summary>
/// A row-major, batch-major matrix (<c>[rows, cols]</c>) over a contiguous buffer it owns.
/// The row count may shrink and grow within the buffer's capacity without allocating, so a layer
/// sized for its largest batch also serves the smaller last batch of an epoch.
/// </summary>
public sealed class Matrix<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _data;

    /// <summary>Creates a zero-filled matrix of <paramref name="rows"/> x <paramref name="cols"/>.</summary>
    public Matrix(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        Rows = rows;
        Cols = cols;
        _data = new T[checked(rows * cols)];
    }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a <paramref name="rows"/> x <paramref name="cols"/> matrix.</summary>
    public Matrix(int rows, int cols, T[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if (data.Length < checked(rows * cols))
            throw new ArgumentException($"Buffer of {data.Length} elements cannot hold {rows}x{cols}.", nameof(data));
        Rows = rows;
        Cols = cols;
        _data = data;
    }

    /// <summary>Number of rows (the batch size for activations).</summary>
    public int Rows { get; private set; }

    /// <summary>Number of columns (features).</summary>
    public int Cols { get; }

    /// <summary>Number of elements, <c>Rows * Cols</c>.</summary>
    public int Length => Rows * Cols;

    /// <summary>The elements in row-major order.</summary>
    public Span<T> Span => _data.AsSpan(0, Rows * Cols);

    /// <summary>One row.</summary>
    public Span<T> Row(int row) => _data.AsSpan(row * Cols, Cols);

    /// <summary>Element at (<paramref name="row"/>, <paramref name="col"/>).</summary>
    public ref T this[int row, int col] => ref _data[(row * Cols) + col];

    /// <summary>
    /// Sets the row count. Allocates only when the buffer is too small, so repeated calls with
    /// sizes already seen are free.
    /// </summary>
    public void Resize(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        int needed = checked(rows * Cols);
        if (needed > _data.Length)
            Array.Resize(ref _data, needed);
        Rows = rows;
    }

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Span.Clear();

    /// <summary>A copy with its own buffer.</summary>
    public Matrix<T> Clone()
    {
        var copy = new Matrix<T>(Rows, Cols);
        Span.CopyTo(copy.Span);
        return copy;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Matrix<{typeof(T).Name}>[{Rows}, {Cols}]";
}
