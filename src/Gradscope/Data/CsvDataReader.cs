using System.Globalization;

namespace Gradscope.Data;

/// <summary>
/// Reads a classification set from a CSV file: a header row naming the columns, then one row per
/// example. The label column is chosen by name, else the last column; every other column must be
/// numeric (invariant culture: '.' decimal point). See <see cref="CsvLabels"/> for how labels
/// become classes. The file may be gzipped.
/// </summary>
internal static class CsvDataReader
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <param name="path">The CSV file (UTF-8, with or without a byte order mark; gzip detected by content).</param>
    /// <param name="labelColumn">Name of the label column; the last column when null.</param>
    /// <exception cref="GradscopeException">The file is missing, empty, ragged, or has a non-numeric, NaN or infinite feature cell, with its line and column.</exception>
    /// <exception cref="Memory.MemoryLimitException">The file is larger than memory allows, or never ends.</exception>
    public static Dataset Read(string path, string? labelColumn = null)
    {
        string text = DataText.ReadAll(path);
        return Parse(text, path, DatasetName(path), labelColumn);
    }

    /// <summary>Parses CSV <paramref name="text"/>; <paramref name="source"/> names it in messages.</summary>
    internal static Dataset Parse(string text, string source, string name, string? labelColumn)
    {
        var tokenizer = new CsvTokenizer(text, source);
        var fields = new List<string>();
        if (!tokenizer.ReadRecord(fields, out int headerLine))
            throw new GradscopeException($"{source}: the file is empty; a CSV data set needs a header row and at least one data row.");

        string[] header = new string[fields.Count];
        for (int i = 0; i < header.Length; i++)
            header[i] = fields[i].Trim();
        int labelIndex = FindLabelColumn(header, labelColumn, source);

        var features = new List<double>();
        var labels = new List<string>();
        while (tokenizer.ReadRecord(fields, out int line))
        {
            if (fields.Count != header.Length)
                throw new GradscopeException($"{source}: line {line} has {fields.Count} fields, but the header (line {headerLine}) has {header.Length}.");
            for (int col = 0; col < header.Length; col++)
            {
                if (col != labelIndex)
                    features.Add(ParseCell(fields[col], source, line, header[col]));
            }

            string label = fields[labelIndex].Trim();
            if (label.Length == 0)
                throw new GradscopeException($"{source}: line {line}: the label column '{header[labelIndex]}' is empty.");
            labels.Add(label);
        }

        if (labels.Count == 0)
            throw new GradscopeException($"{source}: the file has a header row but no data rows.");

        (int[] classes, string[] classNames) = CsvLabels.Map(labels, source, header[labelIndex]);
        string[] featureNames = [.. header[..labelIndex], .. header[(labelIndex + 1)..]];
        return new Dataset(name, [.. features], classes, featureNames.Length, classNames.Length, featureNames, classNames);
    }

    private static int FindLabelColumn(string[] header, string? labelColumn, string source)
    {
        if (header.Length < 2)
        {
            throw new GradscopeException(
                $"{source}: the header has {header.Length} column; a CSV data set needs at least one feature column and a label column, separated by commas.");
        }

        if (labelColumn is null)
            return header.Length - 1;
        int index = Array.IndexOf(header, labelColumn);
        if (index < 0)
            index = Array.FindIndex(header, h => string.Equals(h, labelColumn, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
            throw new GradscopeException($"{source}: there is no column named '{labelColumn}' to use as the label; the columns are: {string.Join(", ", header)}.");
        return index;
    }

    private static double ParseCell(string cell, string source, int line, string column)
    {
        ReadOnlySpan<char> text = cell.AsSpan().Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
            return value;

        if (double.IsNaN(value) || text.Equals("nan", StringComparison.OrdinalIgnoreCase))
            throw new GradscopeException($"{source}: NaN in data at line {line} column '{column}'; features must be finite numbers.");
        if (double.IsInfinity(value) || text.TrimStart("+-").Equals("inf", StringComparison.OrdinalIgnoreCase))
            throw new GradscopeException($"{source}: infinity ('{cell.Trim()}') in data at line {line} column '{column}'; features must be finite numbers.");

        string shown = text.Length == 0 ? "an empty cell" : $"'{Shorten(text)}'";
        throw new GradscopeException($"{source}: line {line}, column '{column}': expected a number, found {shown}.");
    }

    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "...");

    private static string DatasetName(string path)
    {
        string file = Path.GetFileName(path);
        foreach (string extension in (ReadOnlySpan<string>)[".gz", ".csv"])
        {
            if (file.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                file = file[..^extension.Length];
        }

        return file.Length > 0 ? file : path;
    }
}
