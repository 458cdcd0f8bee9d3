using System.Globalization;

namespace Gradscope.Initialization;

public abstract partial record Initializer
{
    /// <summary>The accepted names, as shown in error messages and help.</summary>
    public const string ValidNames =
        "standard, normal, uniform, glorot-normal (xavier-normal), glorot-uniform (xavier-uniform), " +
        "he-normal (kaiming-normal), he-uniform (kaiming-uniform), he-normal-fan-out, he-uniform-fan-out, " +
        "lecun-normal, lecun-uniform, orthogonal";

    /// <summary>The spec syntax, as shown in error messages and help.</summary>
    public const string Syntax =
        "NAME[:STD][:gain=G][:bias=B], where STD (normal and uniform only; default 0.01) is the standard deviation, " +
        "G multiplies the scale and B is the constant bias (default 0); e.g. normal:0.05, he-normal:gain=2, he-uniform:bias=-1";

    /// <summary>
    /// Parses <c>NAME[:STD][:gain=G][:bias=B]</c> (case-insensitive), for example <c>he-normal</c>,
    /// <c>normal:0.05</c>, <c>glorot-uniform:gain=1.6667</c> or <c>he-normal:bias=-1</c>. STD applies to
    /// <c>normal</c> and <c>uniform</c> only. Names: see <see cref="ValidNames"/>.
    /// </summary>
    /// <exception cref="GradscopeException">The name is unknown or a parameter malformed; the message lists the valid names and syntax.</exception>
    public static Initializer Parse(string spec)
    {
        string text = (spec ?? string.Empty).Trim();
        string[] parts = text.ToLowerInvariant().Split(':');
        Initializer initializer = Create(parts[0], text);
        for (int i = 1; i < parts.Length; i++)
            initializer = WithParameter(initializer, parts[i], i, text);
        return initializer;
    }

    private static Initializer Create(string name, string spec) => name switch
    {
        "standard" => new Standard(),
        "normal" => new Normal(),
        "uniform" => new Uniform(),
        "glorot-normal" or "xavier-normal" => new GlorotNormal(),
        "glorot-uniform" or "xavier-uniform" => new GlorotUniform(),
        "he-normal" or "kaiming-normal" => new HeNormal(),
        "he-uniform" or "kaiming-uniform" => new HeUniform(),
        "he-normal-fan-out" or "kaiming-normal-fan-out" => new HeNormal { Mode = FanMode.FanOut },
        "he-uniform-fan-out" or "kaiming-uniform-fan-out" => new HeUniform { Mode = FanMode.FanOut },
        "lecun-normal" => new LeCunNormal(),
        "lecun-uniform" => new LeCunUniform(),
        "orthogonal" => new Orthogonal(),
        "" => throw new GradscopeException($"The initializer spec is empty. Valid initializers: {ValidNames}."),
        _ => throw new GradscopeException($"Unknown initializer '{name}' in '{spec}'. Valid initializers: {ValidNames}."),
    };

    private static Initializer WithParameter(Initializer initializer, string part, int position, string spec)
    {
        if (part.StartsWith("gain=", StringComparison.Ordinal))
            return initializer with { Gain = Number(part[5..], "gain", spec) };
        if (part.StartsWith("bias=", StringComparison.Ordinal))
            return initializer with { BiasValue = Number(part[5..], "bias", spec) };

        bool takesStd = initializer is Normal or Uniform;
        if (position == 1 && takesStd)
        {
            double std = Number(part, "standard deviation", spec);
            return initializer is Normal normal ? normal with { Std = std } : (Uniform)initializer with { Std = std };
        }

        string expected = takesStd
            ? "the standard deviation first, then gain=G or bias=B"
            : $"gain=G or bias=B ('{initializer.Name}' takes no standard deviation)";
        throw new GradscopeException($"In initializer '{spec}', '{part}' is not a valid parameter: expected {expected}. Syntax: {Syntax}.");
    }

    private static double Number(string text, string what, string spec) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new GradscopeException($"In initializer '{spec}', the {what} '{text}' is not a number. Syntax: {Syntax}.");
}
