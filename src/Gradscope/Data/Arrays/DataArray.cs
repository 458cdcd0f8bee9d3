using Gradscope.Serialization.Safetensors;

namespace Gradscope.Data.Arrays;

/// <summary>
/// One array read from a data file (<c>x</c> or <c>y</c>), whatever the container: its element
/// type as the file names it, whether that type is a float, its shape and its row-major values
/// widened to double.
/// </summary>
/// <param name="Name">The array's name in the file: <c>x</c> or <c>y</c>.</param>
/// <param name="TypeName">The element type as the format names it (<c>float32</c>, <c>I64</c>...), for messages.</param>
/// <param name="IsFloat">True for floating-point element types, false for integers.</param>
/// <param name="Shape">Dimensions, outermost first.</param>
/// <param name="Values">Row-major (C order) values; as many as the product of <paramref name="Shape"/>.</param>
internal sealed record DataArray(string Name, string TypeName, bool IsFloat, int[] Shape, double[] Values)
{
    /// <summary>The shape as <c>[100, 3]</c>.</summary>
    public string ShapeText => SafetensorsTensor.FormatShape(Shape);
}
