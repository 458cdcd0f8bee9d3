namespace Gradscope.Diagnostics;

/// <summary>Cost tiers of the gradient monitor.</summary>
public enum MonitorPreset
{
    /// <summary>No monitoring.</summary>
    Off,

    /// <summary>Every scalar statistic at every step; no histograms.</summary>
    Cheap,

    /// <summary>Cheap plus gradient and activation histograms every 50 steps.</summary>
    Standard,

    /// <summary>Cheap plus histograms at every step.</summary>
    Full,
}

/// <summary>
/// When the monitor measures: scalars every <see cref="ScalarEvery"/> steps, histograms every
/// <see cref="HistogramEvery"/> steps (0 for never) or at log-spaced steps (0, 1, 2, 4, 8, ...).
/// </summary>
public sealed record MonitorOptions
{
    /// <summary>Scalars every this many steps (1: every step).</summary>
    public int ScalarEvery { get; init; } = 1;

    /// <summary>Histograms every this many steps; 0 for none.</summary>
    public int HistogramEvery { get; init; }

    /// <summary>Histograms at steps 0, 1, 2, 4, 8, ... instead of every k.</summary>
    public bool LogSpacedHistograms { get; init; }

    /// <summary>The options of a named preset.</summary>
    public static MonitorOptions For(MonitorPreset preset) => preset switch
    {
        MonitorPreset.Cheap => new MonitorOptions(),
        MonitorPreset.Standard => new MonitorOptions { HistogramEvery = 50 },
        MonitorPreset.Full => new MonitorOptions { HistogramEvery = 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Off has no options: attach no monitor."),
    };

    /// <summary>Parses <c>off</c>, <c>cheap</c>, <c>standard</c> or <c>full</c>.</summary>
    public static MonitorPreset ParsePreset(string name) => name.Trim().ToLowerInvariant() switch
    {
        "off" or "none" => MonitorPreset.Off,
        "cheap" => MonitorPreset.Cheap,
        "standard" => MonitorPreset.Standard,
        "full" => MonitorPreset.Full,
        _ => throw new GradscopeException($"Unknown monitor preset '{name}'. Valid presets: off, cheap, standard, full."),
    };

    /// <summary>True when histograms are due at <paramref name="step"/>.</summary>
    public bool HistogramsDue(int step)
    {
        if (LogSpacedHistograms)
            return step == 0 || (step & (step - 1)) == 0;
        return HistogramEvery > 0 && step % HistogramEvery == 0;
    }
}
