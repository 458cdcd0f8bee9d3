namespace Gradscope.Lab.Experiments;

/// <summary>A table of an experiment: titled columns and rows of typed values (numbers stay numbers in JSON).</summary>
/// <param name="Title">What the table shows.</param>
/// <param name="Columns">Its columns, in order.</param>
/// <param name="Rows">Its rows; each has one value per column.</param>
public sealed record ResultTable(string Title, IReadOnlyList<ResultColumn> Columns, IReadOnlyList<IReadOnlyList<ResultValue>> Rows)
{
    /// <summary>A table whose rows must each have one value per column.</summary>
    /// <exception cref="ArgumentException">A row has another number of values.</exception>
    public static ResultTable Create(string title, IReadOnlyList<ResultColumn> columns, IReadOnlyList<IReadOnlyList<ResultValue>> rows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            if (row.Count != columns.Count)
                throw new ArgumentException($"Table '{title}': a row has {row.Count} values for {columns.Count} columns.", nameof(rows));
        }

        return new ResultTable(title, columns, rows);
    }
}

/// <summary>A column: its key in JSON (snake_case) and its header in text.</summary>
/// <param name="Key">The JSON key, snake_case ("orders_lost").</param>
/// <param name="Header">The text header ("orders lost").</param>
public sealed record ResultColumn(string Key, string Header);

/// <summary>How a number is shown in text (JSON always writes the number itself).</summary>
public enum ValueStyle
{
    /// <summary>A text cell.</summary>
    Text,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>Fixed-point with <see cref="ResultValue.Digits"/> decimals.</summary>
    Fixed,

    /// <summary>Scientific notation with 2 significant decimals (gradient ratios).</summary>
    Scientific,

    /// <summary>A fraction shown as a percentage with <see cref="ResultValue.Digits"/> decimals.</summary>
    Percent,

    /// <summary>No value (a run that did not happen, a prediction that does not exist): "-" in text, null in JSON.</summary>
    Missing,
}

/// <summary>One cell of a <see cref="ResultTable"/>.</summary>
/// <param name="Number">The number (NaN for text and missing cells).</param>
/// <param name="Text">The text of a text cell; null otherwise.</param>
/// <param name="Style">How it is shown.</param>
/// <param name="Digits">Decimals for <see cref="ValueStyle.Fixed"/> and <see cref="ValueStyle.Percent"/>.</param>
public readonly record struct ResultValue(double Number, string? Text, ValueStyle Style, int Digits)
{
    /// <summary>No value.</summary>
    public static ResultValue Missing => new(double.NaN, null, ValueStyle.Missing, 0);

    /// <summary>A text cell.</summary>
    public static ResultValue Of(string text) => new(double.NaN, text, ValueStyle.Text, 0);

    /// <summary>A whole number.</summary>
    public static ResultValue Integer(long value) => new(value, null, ValueStyle.Integer, 0);

    /// <summary>A number shown with <paramref name="digits"/> decimals.</summary>
    public static ResultValue Fixed(double value, int digits = 2) => new(value, null, ValueStyle.Fixed, digits);

    /// <summary>A number shown in scientific notation.</summary>
    public static ResultValue Scientific(double value) => new(value, null, ValueStyle.Scientific, 2);

    /// <summary>A fraction (0.25) shown as a percentage ("25.0%").</summary>
    public static ResultValue Percent(double fraction, int digits = 1) => new(fraction, null, ValueStyle.Percent, digits);

    /// <summary>True for cells that hold a number.</summary>
    public bool IsNumber => Style is not (ValueStyle.Text or ValueStyle.Missing);

    /// <summary>The cell as text, invariant culture: "-" for missing, "nan"/"inf" for non-finite numbers.</summary>
    public string Display()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        if (Style == ValueStyle.Text)
            return Text ?? "";
        if (Style == ValueStyle.Missing)
            return "-";
        if (double.IsNaN(Number))
            return "nan";
        if (double.IsInfinity(Number))
            return Number > 0 ? "inf" : "-inf";
        return Style switch
        {
            ValueStyle.Integer => Number.ToString("0", c),
            ValueStyle.Fixed => Number.ToString("F" + Digits.ToString(c), c),
            ValueStyle.Scientific => Number.ToString("0.00e+00", c),
            _ => (Number * 100).ToString("F" + Digits.ToString(c), c) + "%",
        };
    }
}
