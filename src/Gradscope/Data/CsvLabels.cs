using System.Globalization;

namespace Gradscope.Data;

/// <summary>
/// Turns the label column's text into class indices, deterministically. Integer labels that are
/// exactly 0..k-1 keep their value. Other integers (e.g. 1..10) are numbered in numeric order.
/// Anything else is text, numbered in ordinal (culture-free) sorted order, so "cat", "dog" are
/// 0, 1 whichever comes first in the file. Integral decimals such as "3.0" count as integers.
/// The class names keep the labels' text ("3" for an integer), so a model trained on the file
/// stores them and other data map onto the same classes (see <see cref="Serialization.ModelFile.MapLabels"/>).
/// </summary>
internal static class CsvLabels
{
    /// <summary>More classes than this means the wrong column (a continuous target, an id) was picked.</summary>
    public const int MaxClasses = 1000;

    public static (int[] Labels, string[] ClassNames) Map(List<string> raw, string source, string column)
    {
        var distinct = new HashSet<string>(raw, StringComparer.Ordinal);
        if (distinct.Count > MaxClasses)
        {
            throw new GradscopeException(
                $"{source}: the label column '{column}' has {distinct.Count} distinct values, more than {MaxClasses} classes; is it really a class label? Choose another with the label option.");
        }

        int[]? integers = TryIntegers(raw);
        return integers is not null ? MapIntegers(integers) : MapText(raw, distinct);
    }

    /// <summary>True when <paramref name="label"/> is an integer label ("3", "3.0", "-1"), with its value.</summary>
    public static bool TryInteger(string label, out int value)
    {
        value = 0;
        if (!double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            || v != Math.Floor(v) || v < int.MinValue || v > int.MaxValue)
        {
            return false;
        }

        value = (int)v;
        return true;
    }

    private static int[]? TryIntegers(List<string> raw)
    {
        var values = new int[raw.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (!TryInteger(raw[i], out values[i]))
                return null;
        }

        return values;
    }

    private static (int[] Labels, string[] ClassNames) MapIntegers(int[] values)
    {
        int[] sorted = [.. new SortedSet<int>(values)];
        bool dense = sorted[0] == 0 && sorted[^1] == sorted.Length - 1;
        var names = new string[sorted.Length];
        for (int i = 0; i < names.Length; i++)
            names[i] = sorted[i].ToString(CultureInfo.InvariantCulture);
        if (dense)
            return (values, names);

        var index = new Dictionary<int, int>(sorted.Length);
        for (int i = 0; i < sorted.Length; i++)
            index[sorted[i]] = i;
        var labels = new int[values.Length];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = index[values[i]];
        return (labels, names);
    }

    private static (int[] Labels, string[] ClassNames) MapText(List<string> raw, HashSet<string> distinct)
    {
        string[] names = [.. distinct];
        Array.Sort(names, StringComparer.Ordinal);
        var index = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
            index[names[i]] = i;
        var labels = new int[raw.Count];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = index[raw[i]];
        return (labels, names);
    }
}
