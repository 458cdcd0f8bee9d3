namespace Gradscope.Diagnostics;

/// <summary>Cost tiers of the gradient monitor.</summary>
public enum MonitorPreset
{
    /// <summary>No monitoring.</summary>
    Off,

    /// <summary>Every scalar statistic at every step, except weight norm and update ratio every 10 steps; no histograms.</summary>
    Cheap,

    /// <summary>Cheap plus gradient and activation histograms every 50 steps.</summary>
    Standard,

    /// <summary>Every statistic and histograms at every step.</summary>
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

    /// <summary>
    /// Weight norm and update ratio every this many scheduled steps (1: every step). They need a
    /// copy of every weight matrix before the update and a pass over it after, the largest part of
    /// the monitor's cost on wide layers; their rules use medians, which sampling keeps.
    /// </summary>
    public int UpdateEvery { get; init; } = 1;

    /// <summary>Histograms every this many steps; 0 for none.</summary>
    public int HistogramEvery { get; init; }

    /// <summary>Histograms at steps 0, 1, 2, 4, 8, ... instead of every k.</summary>
    public bool LogSpacedHistograms { get; init; }

    /// <summary>The options of a named preset.</summary>
    public static MonitorOptions For(MonitorPreset preset) => preset switch
    {
        MonitorPreset.Cheap => new MonitorOptions { UpdateEvery = 10 },
        MonitorPreset.Standard => new MonitorOptions { UpdateEvery = 10, HistogramEvery = 50 },
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
