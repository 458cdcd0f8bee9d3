using System.Globalization;
using Gradscope.Data.Sequences;

namespace Gradscope.Data.Arrays;

/// <summary>
/// Checks the arrays <c>x</c> and <c>y</c> of a data file against each other and turns them into a
/// <see cref="Dataset"/> (<c>x [N, F]</c> or <c>[N, T, F]</c> flattened to rows with a
/// <see cref="SequenceShape"/>, <c>y [N]</c>) or a <see cref="SequenceDataset"/>
/// (<c>x [N, T, F]</c>, <c>y [N]</c> or <c>[N, T]</c>). Labels are class indices: the class
/// count is the largest label plus one. Every message names the file.
/// </summary>
internal static class ArrayDataBuilder
{
    /// <summary>A larger label means the labels are not class indices (an id, a continuous target).</summary>
    public const int MaxClasses = 65_536;

    public static Dataset ToDataset(DataArray x, DataArray y, string source, string name)
    {
        CheckTypesAndRank(x, y, source);

        // Sequences with a label per step (y [N, T]) train a network whose last recurrent layer has "sequence": "all".
        if (x.Shape.Length == 3 && y.Shape is [_, int steps] && steps == x.Shape[1] && steps > 1)
            return ToSequences(x, y, source, name).ToDataset();
        if (x.Shape.Length == 3)
            return FlatSequences(x, y, source, name);

        int rows = x.Shape[0], features = x.Shape[1];
        bool column = y.Shape is [_, 1];
        if (!(y.Shape.Length == 1 || column) || y.Shape[0] != rows)
        {
            throw new GradscopeException(
                $"{source}: y has shape {y.ShapeText} but x has shape {x.ShapeText}; y must hold one integer label per row of x, shape [{rows}].");
        }

        CheckFinite(x, source);
        var (labels, classes) = ClassIndices(y, source);
        return new Dataset(name, x.Values, labels, features, classes);
    }

    public static SequenceDataset ToSequences(DataArray x, DataArray y, string source, string name)
    {
        CheckTypesAndRank(x, y, source);
        if (x.Shape.Length == 2)
        {
            throw new GradscopeException(
                $"{source}: x has shape {x.ShapeText}, a table [N, F], not sequences [N, T, F]; a recurrent model needs one row of features per step.");
        }

        int count = x.Shape[0], steps = x.Shape[1], features = x.Shape[2];
        bool manyToMany = y.Shape.Length == 2 && y.Shape[1] == steps;
        if (!(y.Shape.Length == 1 || manyToMany) || y.Shape[0] != count)
        {
            throw new GradscopeException(
                $"{source}: y has shape {y.ShapeText} but x has shape {x.ShapeText}; y must be [{count}] (one label per sequence) or [{count}, {steps}] (one per step).");
        }

        CheckFinite(x, source);
        var (labels, classes) = ClassIndices(y, source);
        var output = manyToMany ? SequenceOutput.ManyToMany : SequenceOutput.ManyToOne;
        return new SequenceDataset(name, x.Values, labels, steps, features, classes, output);
    }

    private static void CheckTypesAndRank(DataArray x, DataArray y, string source)
    {
        if (!x.IsFloat)
            throw new GradscopeException($"{source}: x holds {x.TypeName} values; features must be floating point (float32 or float64), e.g. x.astype(np.float32).");
        if (y.IsFloat)
            throw new GradscopeException($"{source}: y holds {y.TypeName} values; labels must be integer class indices 0, 1, 2, ..., e.g. y.astype(np.int64).");
        if (x.Shape.Length is not (2 or 3))
        {
            throw new GradscopeException(
                $"{source}: x has shape {x.ShapeText}; features must be [N, F] (one row per example) or [N, T, F] (N sequences of T steps). " +
                "Flatten anything else, e.g. images: x.reshape(len(x), -1).");
        }

        string[] axes = x.Shape.Length == 2 ? ["rows (N)", "features (F)"] : ["sequences (N)", "steps (T)", "features (F)"];
        for (int d = 0; d < axes.Length; d++)
        {
            if (x.Shape[d] == 0)
                throw new GradscopeException($"{source}: x has shape {x.ShapeText}: no {axes[d]}.");
        }
    }

    /// <summary>
    /// Sequences <c>x [N, T, F]</c> with one label per sequence, as the built-in sequence tasks give
    /// them: each row the <c>T * F</c> values of one sequence, time-major, with its
    /// <see cref="SequenceShape"/> (a recurrent first layer reads them step by step, a dense one flat).
    /// </summary>
    private static Dataset FlatSequences(DataArray x, DataArray y, string source, string name)
    {
        int count = x.Shape[0], steps = x.Shape[1], features = x.Shape[2];
        bool column = y.Shape is [_, 1];
        if (!(y.Shape.Length == 1 || column) || y.Shape[0] != count)
        {
            throw new GradscopeException(
                $"{source}: y has shape {y.ShapeText} but x has shape {x.ShapeText}; y must be [{count}] (one label per sequence) or [{count}, {steps}] (one per step).");
        }

        CheckFinite(x, source);
        var (labels, classes) = ClassIndices(y, source);
        var names = SequenceTaskData.StepNames(steps, features);
        return new Dataset(name, x.Values, labels, steps * features, classes, names) { Sequence = new SequenceShape(steps, features) };
    }

    private static void CheckFinite(DataArray x, string source)
    {
        double[] values = x.Values;
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                string what = double.IsNaN(values[i]) ? "NaN" : values[i].ToString(CultureInfo.InvariantCulture);
                throw new GradscopeException($"{source}: x{Index(x.Shape, i)} is {what} (row {i / RowSize(x.Shape)}, counting from 0); features must be finite numbers.");
            }
        }
    }

    private static (int[] Labels, int ClassCount) ClassIndices(DataArray y, string source)
    {
        double[] values = y.Values;
        var labels = new int[values.Length];
        int max = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (v < 0 || v >= MaxClasses)
            {
                string problem = v < 0
                    ? "labels must be class indices 0, 1, 2, ... (no negative values)"
                    : $"labels are class indices 0..K-1, and Gradscope takes at most {MaxClasses} classes; is y really a class label?";
                throw new GradscopeException($"{source}: y{Index(y.Shape, i)} is {v.ToString(CultureInfo.InvariantCulture)}; {problem}");
            }

            labels[i] = (int)v;
            max = Math.Max(max, labels[i]);
        }

        return (labels, max + 1);
    }

    private static long RowSize(int[] shape)
    {
        long size = 1;
        for (int d = 1; d < shape.Length; d++)
            size *= shape[d];
        return size;
    }

    /// <summary>Flat index <paramref name="flat"/> as NumPy writes an index, e.g. <c>[12, 3]</c>.</summary>
    private static string Index(int[] shape, long flat)
    {
        var parts = new long[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            parts[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat /= Math.Max(shape[d], 1);
        }

        return "[" + string.Join(", ", parts) + "]";
    }
}
