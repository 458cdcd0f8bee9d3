namespace Gradscope.Training;

/// <summary>Parsing the command-line flags a flag layout is made of.</summary>
public sealed partial record NetworkSpec
{
    /// <summary>Parses <c>none</c>, <c>batch</c> or <c>layer</c> (also <c>batchnorm</c>, <c>layernorm</c>), case-insensitive.</summary>
    /// <exception cref="GradscopeException">Anything else; the message lists the valid values.</exception>
    public static NormKind ParseNorm(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" or "" => NormKind.None,
        "batch" or "batchnorm" or "batch-norm" => NormKind.Batch,
        "layer" or "layernorm" or "layer-norm" => NormKind.Layer,
        _ => throw new GradscopeException($"Unknown normalization '{text}'. Use none, batch or layer."),
    };

    /// <summary>
    /// Parses hidden sizes: <c>10x32</c> (ten layers of 32) or <c>64,32,16</c>; <c>none</c> for no
    /// hidden layer. An empty string is an error: it is more often a variable that was not set
    /// than a wish for a network without hidden layers.
    /// </summary>
    public static IReadOnlyList<int> ParseLayers(string text)
    {
        string spec = text.Trim();
        if (spec.Length == 0)
            throw new GradscopeException("Invalid layers '': give the hidden layers, e.g. '10x32' or '64,32,16', or 'none' for a network without hidden layers.");
        if (spec.Equals("none", StringComparison.OrdinalIgnoreCase))
            return [];
        int x = spec.IndexOfAny(['x', 'X']);
        if (x > 0)
        {
            int count = ParseSize(spec[..x], spec, "layer count");
            int width = ParseSize(spec[(x + 1)..], spec, "width");
            var sizes = new int[count];
            Array.Fill(sizes, width);
            return sizes;
        }

        var parts = spec.Split(',');
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            result[i] = ParseSize(parts[i], spec, "width");
        return result;
    }

    private static int ParseSize(string part, string spec, string what)
    {
        if (int.TryParse(part.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value) && value >= 1 && value <= 1_000_000)
            return value;
        throw new GradscopeException($"Invalid layers '{spec}': the {what} '{part.Trim()}' is not a whole number from 1 to 1000000. Use e.g. '10x32' or '64,32,16'.");
    }
}
