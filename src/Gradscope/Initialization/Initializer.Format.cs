using System.Globalization;

namespace Gradscope.Initialization;

public abstract partial record Initializer
{
    /// <summary>
    /// The canonical spec text that <see cref="Parse"/> reads back to an equal initializer: the name,
    /// the standard deviation of <c>normal</c> and <c>uniform</c>, and <c>gain=</c> and <c>bias=</c>
    /// only where they differ from the name's defaults (e.g. <c>he-normal</c>,
    /// <c>normal:0.05:bias=-1</c>). Numbers are written round-trip exact.
    /// </summary>
    public string ToSpec()
    {
        var parts = new List<string> { Name };
        if (this is Normal normal)
            parts.Add(Number(normal.Std));
        else if (this is Uniform uniform)
            parts.Add(Number(uniform.Std));
        if (Gain != Create(Name, Name).Gain)
            parts.Add("gain=" + Number(Gain));
        if (BiasValue != 0)
            parts.Add("bias=" + Number(BiasValue));
        return string.Join(':', parts);
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
