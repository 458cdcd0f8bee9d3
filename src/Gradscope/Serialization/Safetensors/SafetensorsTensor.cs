using System.Numerics;

namespace Gradscope.Serialization.Safetensors;

/// <summary>
/// One named tensor of a safetensors file: its element type as the file names it, its shape, and
/// its values in row-major order, widened to <see cref="double"/>.
/// </summary>
/// <remarks>
/// F32, F64, F16, BF16 and the integers up to 32 bits widen to double exactly; I64 and U64 values beyond 2^53 round to the nearest
/// double. <see cref="Shape"/> and <see cref="Values"/> are the live arrays, not copies; the writer
/// checks them against each other again before it writes anything.
/// </remarks>
internal sealed class SafetensorsTensor
{
    /// <summary>
    /// Creates a tensor. <paramref name="shape"/> is copied; <paramref name="values"/> is kept as is.
    /// </summary>
    /// <param name="name">Tensor name, for example <c>0.weight</c> as PyTorch's state dict writes it.</param>
    /// <param name="dtype">Element type as safetensors names it: F32, F64, F16, BF16, I8, I16, I32, I64, U8, U16, U32 or U64.</param>
    /// <param name="shape">Dimensions, outermost first; <c>[]</c> is a scalar holding one value.</param>
    /// <param name="values">Row-major values; their count must be the product of <paramref name="shape"/>.</param>
    /// <exception cref="ArgumentException">The dtype is not one of those, a dimension is negative, or the value count does not match the shape.</exception>
    public SafetensorsTensor(string name, string dtype, int[] shape, double[] values)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(dtype);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(values);
        if (SafetensorsDType.SizeOf(dtype) == 0)
            throw new ArgumentException($"Unsupported dtype '{dtype}'; expected {SafetensorsDType.Readable}.", nameof(dtype));
        long count = ElementCountOf(shape);
        if (count < 0)
            throw new ArgumentException($"Shape {FormatShape(shape)} of tensor '{name}' has a negative dimension or too many elements.", nameof(shape));
        if (count != values.Length)
            throw new ArgumentException($"Tensor '{name}' has shape {FormatShape(shape)} = {count} values but {values.Length} were given.", nameof(values));
        Name = name;
        DType = dtype;
        Shape = (int[])shape.Clone();
        Values = values;
    }

    /// <summary>Tensor name, unique within its file.</summary>
    public string Name { get; }

    /// <summary>Element type in the file: F32, F64, F16, BF16, I8, I16, I32, I64, U8, U16, U32 or U64.</summary>
    public string DType { get; }

    /// <summary>Dimensions, outermost first. Empty for a scalar.</summary>
    public int[] Shape { get; }

    /// <summary>Row-major values widened to double.</summary>
    public double[] Values { get; }

    /// <summary>Number of values: the product of <see cref="Shape"/> (1 for a scalar, 0 if any dimension is 0).</summary>
    public int ElementCount => Values.Length;

    /// <summary>
    /// Creates an F32 tensor from floats, or an F64 tensor from doubles, copying the values.
    /// </summary>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is neither float nor double, or the count does not match the shape.</exception>
    public static SafetensorsTensor FromValues<T>(string name, int[] shape, ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string dtype = typeof(T) == typeof(float) ? SafetensorsDType.F32
            : typeof(T) == typeof(double) ? SafetensorsDType.F64
            : throw new ArgumentException($"Safetensors tensors are built from float or double, not {typeof(T).Name}.", nameof(values));
        var copy = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
            copy[i] = double.CreateTruncating(values[i]);
        return new SafetensorsTensor(name, dtype, shape, copy);
    }

    /// <summary>
    /// The values as floats. Exact for F32, F16, BF16 and integers up to 2^24; F64 values round to
    /// the nearest float.
    /// </summary>
    public float[] ToSingleArray()
    {
        var result = new float[Values.Length];
        CopyTo<float>(result);
        return result;
    }

    /// <summary>Copies the values into <paramref name="destination"/>, converting to <typeparamref name="T"/> (rounding to nearest).</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not exactly <see cref="ElementCount"/> long.</exception>
    public void CopyTo<T>(Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (destination.Length != Values.Length)
            throw new ArgumentException($"Tensor '{Name}' has {Values.Length} values; the destination holds {destination.Length}.", nameof(destination));
        for (int i = 0; i < Values.Length; i++)
            destination[i] = T.CreateTruncating(Values[i]);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {DType} {FormatShape(Shape)}";

    /// <summary>Product of the dimensions; -1 if one is negative or the product exceeds an array's capacity.</summary>
    internal static long ElementCountOf(int[] shape)
    {
        foreach (int dim in shape)
        {
            if (dim < 0)
                return -1;
            if (dim == 0)
                return 0;
        }

        // Each factor is below 2^31 and the running product stays at most Array.MaxLength, so no
        // multiplication can overflow a long.
        long count = 1;
        foreach (int dim in shape)
        {
            count *= dim;
            if (count > Array.MaxLength)
                return -1;
        }

        return count;
    }

    /// <summary>Formats a shape as PyTorch prints it, <c>[32, 2]</c>.</summary>
    internal static string FormatShape(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";
}
