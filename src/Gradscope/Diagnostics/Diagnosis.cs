
namespace Gradscope.Diagnostics;

/// <summary>Runs every rule over a trace and collects the findings, most severe first.</summary>
public static class Diagnosis
{
    private static readonly IDiagnosisRule[] Rules =
    [
        new NonFiniteRule(), new VanishingRule(), new VanishingThroughTimeRule(), new ExplodingRule(), new SaturationRule(), new DeadUnitsRule(), new StalledLayersRule(),
    ];

    /// <summary>The findings for <paramref name="context"/>.</summary>
    public static DiagnosisReport Run(DiagnosisContext context)
    {
        var findings = new List<Finding>();
        foreach (var rule in Rules)
        {
            foreach (var finding in rule.Evaluate(context))
                findings.Add(finding with { LayerNames = context.Trace.LayerNames });
        }

        findings.Sort((a, b) => b.Severity.CompareTo(a.Severity));
        return new DiagnosisReport(findings);
    }
}

/// <summary>The findings of a diagnosis; healthy when none is an error.</summary>
public sealed record DiagnosisReport(IReadOnlyList<Finding> Findings)
{
    /// <summary>True when no finding has severity <see cref="Severity.Error"/>.</summary>
    public bool Healthy
    {
        get
        {
            foreach (var f in Findings)
            {
                if (f.Severity == Severity.Error)
                    return false;
            }

            return true;
        }
    }

    /// <summary>The first finding of <paramref name="kind"/>, or null.</summary>
    public Finding? Find(FindingKind kind)
    {
        foreach (var f in Findings)
        {
            if (f.Kind == kind)
                return f;
        }

        return null;
    }
}
