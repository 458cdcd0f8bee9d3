using System.Numerics;

namespace Gradscope.Tensors;

/// <summary>
/// A row-major, batch-major matrix (<c>[rows, cols]</c>) over a contiguous buffer it owns.
/// The row count may shrink and grow within the buffer's capacity without allocating, so a layer
/// sized for its largest batch also serves the smaller last batch of an epoch. Inside the engine a
/// matrix may instead be a view of some rows of another (<see cref="View"/>): the two halves of a
/// batch that two cores run at once.
/// </summary>
public sealed class Matrix<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _data;
    private int _offset; // first element, nonzero only for a view
    private bool _isView;
    private int _viewRows; // the rows a view was given: it may shrink and grow back within them

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
    public Span<T> Span => _data.AsSpan(_offset, Rows * Cols);

    /// <summary>One row.</summary>
    public Span<T> Row(int row)
    {
        // A view's row is checked against the view, not only against the buffer it shares.
        if ((uint)row >= (uint)Rows && _isView)
            throw new ArgumentOutOfRangeException(nameof(row));
        return _data.AsSpan(_offset + (row * Cols), Cols);
    }

    /// <summary>Element at (<paramref name="row"/>, <paramref name="col"/>).</summary>
    public ref T this[int row, int col] => ref _data[_offset + (row * Cols) + col];

    /// <summary>A view with no rows, to be pointed at rows of other matrices by <see cref="ViewRows"/>.</summary>
    internal static Matrix<T> View(int cols) => new(0, cols) { _isView = true };

    /// <summary>
    /// Points this view at rows <c>[row0, row0 + rows)</c> of <paramref name="parent"/>: writes
    /// through one are seen through the other. Allocates nothing, so a view made once serves every step.
    /// </summary>
    internal void ViewRows(Matrix<T> parent, int row0, int rows)
    {
        if (!_isView)
            throw new InvalidOperationException("Only a view can be pointed at another matrix's rows.");
        if (parent.Cols != Cols || row0 < 0 || rows < 0 || row0 + rows > parent.Rows)
            throw new ArgumentException($"Rows {row0} to {row0 + rows} of a [{parent.Rows}, {parent.Cols}] matrix do not fit a view of {Cols} columns.");
        _data = parent._data;
        _offset = parent._offset + (row0 * Cols);
        Rows = rows;
        _viewRows = rows;
    }

    /// <summary>
    /// Sets the row count. Allocates only when the buffer is too small, so repeated calls with
    /// sizes already seen are free.
    /// </summary>
    public void Resize(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        int needed = checked(rows * Cols);
        if (_isView)
        {
            // A view must not leave the rows it was given for a buffer of its own.
            if (rows > _viewRows)
                throw new InvalidOperationException($"A view of {_viewRows} rows cannot grow to {rows}.");
            Rows = rows;
            return;
        }

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
