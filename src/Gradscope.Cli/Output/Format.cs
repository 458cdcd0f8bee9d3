using System.Globalization;

namespace Gradscope.Cli.Output;

/// <summary>Number formats shared by tables: invariant culture, compact scientific for gradients.</summary>
internal static class Format
{
    public static string Sci(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsInfinity(value) ? (value > 0 ? "inf" : "-inf") : value.ToString("0.00e+00", CultureInfo.InvariantCulture);

    public static string Fixed(double value, int digits = 4) =>
        double.IsNaN(value) ? "-" : value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "-" : (100 * fraction).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
