namespace Gradscope.Diagnostics;

/// <summary>What a finding is about.</summary>
public enum FindingKind
{
    /// <summary>Gradients shrink by orders of magnitude from the last layer to the first.</summary>
    Vanishing,

    /// <summary>Gradients grow by orders of magnitude toward the first layer, or over training.</summary>
    Exploding,

    /// <summary>Most units sit where the activation's derivative is nearly zero.</summary>
    Saturation,

    /// <summary>ReLU-family units that are inactive for every sample of a batch.</summary>
    DeadUnits,

    /// <summary>Early layers whose weights barely move compared with the last layer's.</summary>
    StalledLayers,

    /// <summary>A NaN or infinity appeared.</summary>
    NonFinite,

    /// <summary>A recurrent layer's gradient shrinks by orders of magnitude going back through time.</summary>
    VanishingThroughTime,
}

/// <summary>How bad a finding is. Error means training is failing because of it.</summary>
public enum Severity
{
    /// <summary>Worth knowing; training works.</summary>
    Info,

    /// <summary>Training is impaired.</summary>
    Warning,

    /// <summary>Training fails or will fail.</summary>
    Error,
}

/// <summary>
/// One diagnosis: its kind and severity, the dense layers it concerns (0-based indices into the
/// trace; <see cref="LayerRefs"/> names them), the numbers that triggered it and the thresholds
/// they crossed, the likely cause in plain words, and remedies, best first.
/// </summary>
public sealed record Finding(
    FindingKind Kind,
    Severity Severity,
    IReadOnlyList<int> Layers,
    IReadOnlyDictionary<string, double> Evidence,
    IReadOnlyDictionary<string, double> Thresholds,
    string Cause,
    IReadOnlyList<Remedy> Remedies)
{
    /// <summary>The module paths of the trace's layers, in trace order (<see cref="Diagnosis.Run"/> sets them).</summary>
    public IReadOnlyList<string> LayerNames { get; init; } = [];

    /// <summary>The layers this finding concerns, numbered from 1 and named by module path.</summary>
    public IReadOnlyList<LayerRef> LayerRefs
    {
        get
        {
            var refs = new LayerRef[Layers.Count];
            for (int i = 0; i < refs.Length; i++)
                refs[i] = LayerRef.At(LayerNames, Layers[i]);
            return refs;
        }
    }

    /// <summary>One line: kind, severity, layers.</summary>
    public override string ToString() => $"{Kind} ({Severity.ToString().ToLowerInvariant()}) in {string.Join(", ", LayerRefs)}";
}
