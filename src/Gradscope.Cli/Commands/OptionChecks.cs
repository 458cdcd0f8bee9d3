using System.Globalization;
using Gradscope.Memory;

namespace Gradscope.Cli.Commands;

/// <summary>
/// Checks of option values at the edge, before anything runs: each failure is bad usage (exit
/// code 2) with a message that names the option, what it accepts and what it got.
/// </summary>
internal static class OptionChecks
{
    public static int AtLeast(int value, int minimum, string option) =>
        value >= minimum ? value : throw new UsageException($"{option} must be at least {minimum}; got {value}.");

    public static int? AtLeast(int? value, int minimum, string option) => value is { } v ? AtLeast(v, minimum, option) : null;

    /// <summary>A finite number above 0.</summary>
    public static double? Positive(double? value, string option) =>
        value is not { } v || (double.IsFinite(v) && v > 0) ? value : throw new UsageException($"{option} must be a finite number above 0; got {Show(v)}.");

    /// <summary>A finite number of at least 0.</summary>
    public static double? NonNegative(double? value, string option) =>
        value is not { } v || (double.IsFinite(v) && v >= 0) ? value : throw new UsageException($"{option} must be a finite number of at least 0; got {Show(v)}.");

    /// <summary>A fraction in [0, 1).</summary>
    public static double Fraction(double value, string option) =>
        value is >= 0 and < 1 ? value : throw new UsageException($"{option} must be in [0, 1); got {Show(value)}.");

    /// <summary>A file or folder name that is not empty (when given at all).</summary>
    public static string? Path(string? value, string option) =>
        value is null || value.Trim().Length > 0 ? value : throw new UsageException($"{option} needs a file name; got an empty string.");

    /// <summary>A name that is not empty (when given at all).</summary>
    public static string? Name(string? value, string option) =>
        value is null || value.Trim().Length > 0 ? value : throw new UsageException($"{option} needs a value; got an empty string.");

    /// <summary>
    /// Runs an engine parser or check; its <see cref="GradscopeException"/> becomes bad usage with
    /// the option in front (<c>--init 'normal:-1': the standard deviation must be ...</c>).
    /// </summary>
    public static TResult Parse<TResult>(string option, string value, Func<TResult> parse)
    {
        try
        {
            return parse();
        }
        catch (GradscopeException ex) when (ex is not MemoryLimitException)
        {
            throw new UsageException($"{option} '{value}': {ex.Message}");
        }
    }

    /// <summary>
    /// Refuses dense layers whose weight matrix would be larger than one array can hold, on any
    /// machine: <paramref name="widths"/> from input to output, nulls where unknown yet (the data's);
    /// <paramref name="subject"/> begins the message (<c>--layers '2x200000'</c>).
    /// </summary>
    public static void DenseShapes(IReadOnlyList<int?> widths, string subject)
    {
        for (int i = 1; i < widths.Count; i++)
        {
            if (widths[i - 1] is { } a && widths[i] is { } b && (long)a * b > Array.MaxLength)
            {
                throw new UsageException(
                    $"{subject}: a layer of {b} units after one of {a} needs {(long)a * b} weights, more than the {Array.MaxLength} one array can hold.");
            }
        }
    }

    private static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);
}
