using System.Globalization;

namespace Gradscope.Memory;

/// <summary>
/// How much memory this process may use, and the checks that refuse work which cannot fit before
/// anything is allocated. The limit is <c>GRADSCOPE_MEMORY_LIMIT</c> when set, else what the GC
/// reports as available to the process (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>: the
/// machine's memory, or a container's limit or <c>DOTNET_GCHeapHardLimit</c> when lower).
/// </summary>
public static class MemoryBudget
{
    /// <summary>The environment variable that overrides the limit: bytes, or a number with K, M, G, T (powers of 1000) or Ki, Mi, Gi, Ti (powers of 1024), an optional B after.</summary>
    public const string EnvironmentVariable = "GRADSCOPE_MEMORY_LIMIT";

    // Tests (which run in parallel, so cannot share a process-wide variable) and embedders set the
    // limit for one async flow here.
    private static readonly AsyncLocal<long?> OverrideBytes = new();

    /// <summary>The bytes this process may use.</summary>
    /// <exception cref="GradscopeException"><c>GRADSCOPE_MEMORY_LIMIT</c> is set but is not a size.</exception>
    public static long AvailableBytes => OverrideBytes.Value ?? FromEnvironment() ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Sets the limit for the calling async flow until the result is disposed.</summary>
    public static IDisposable Override(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        long? previous = OverrideBytes.Value;
        OverrideBytes.Value = bytes;
        return new Restore(previous);
    }

    /// <summary>The limit <c>GRADSCOPE_MEMORY_LIMIT</c> sets, or null when it is not set.</summary>
    /// <exception cref="GradscopeException">It is set but is not a size.</exception>
    public static long? FromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(text) ? null : Parse(text);
    }

    /// <summary>Parses a size: <c>1073741824</c>, <c>512M</c>, <c>1.5G</c>, <c>2Gi</c>, <c>64MiB</c>.</summary>
    /// <exception cref="GradscopeException">Not a positive size.</exception>
    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Trim();
        if (s.EndsWith('B') || s.EndsWith('b'))
            s = s[..^1];
        bool binary = s.EndsWith('i') || s.EndsWith('I');
        if (binary)
            s = s[..^1];
        int power = s.Length == 0 ? -1 : "KMGT".IndexOf(char.ToUpperInvariant(s[^1]), StringComparison.Ordinal) + 1;
        if (power > 0)
            s = s[..^1];
        if ((binary && power <= 0) || !double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value))
            throw BadSize(text);
        double bytes = value * Math.Pow(binary ? 1024 : 1000, Math.Max(power, 0));
        if (!(bytes >= 1 && bytes < long.MaxValue))
            throw BadSize(text);
        return (long)bytes;
    }

    /// <summary>
    /// Refuses, with a <see cref="MemoryLimitException"/>, work of <paramref name="neededBytes"/>:
    /// <paramref name="what"/> begins the message ("this run"), <paramref name="breakdown"/> (may be
    /// empty) says of what the bytes are.
    /// </summary>
    internal static void Ensure(long neededBytes, string what, string breakdown = "")
    {
        long available = AvailableBytes;
        if (neededBytes <= available)
            return;
        string detail = breakdown.Length > 0 ? $" ({breakdown})" : string.Empty;
        throw new MemoryLimitException($"{what} needs about {Format(neededBytes)}{detail}, but {Limit(available)}.");
    }

    /// <summary>The most bytes a loader may read from a file that expands <paramref name="expansion"/> times in memory.</summary>
    internal static long MaxReadBytes(int expansion) => Math.Max(1, AvailableBytes / expansion);

    /// <summary>The limit and where it comes from, as a clause: <c>64 MB are allowed by GRADSCOPE_MEMORY_LIMIT</c>.</summary>
    internal static string Limit() => Limit(AvailableBytes);

    private static string Limit(long available) =>
        OverrideBytes.Value is not null || FromEnvironment() is not null
            ? $"{Format(available)} are allowed by {EnvironmentVariable}"
            : $"{Format(available)} are available to the process (set {EnvironmentVariable} to override)";

    /// <summary>Bytes as people read them: <c>17.2 GB</c>, <c>640 MB</c>, <c>12 kB</c> (powers of 1000).</summary>
    internal static string Format(long bytes)
    {
        ReadOnlySpan<string> units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"];
        double value = bytes;
        int unit = 0;
        while (value >= 999.5 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        string format = unit == 0 || value >= 99.5 ? "F0" : "F1";
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + units[unit];
    }

    private static GradscopeException BadSize(string text) =>
        new($"{EnvironmentVariable} must be a size in bytes, like 1073741824, 512M, 1.5G or 2Gi; got '{text}'.");

    private sealed class Restore(long? previous) : IDisposable
    {
        public void Dispose() => OverrideBytes.Value = previous;
    }
}
