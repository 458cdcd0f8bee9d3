namespace Gradscope.Diagnostics;

/// <summary>One pure rule from a trace to findings. Rules never train or print.</summary>
internal interface IDiagnosisRule
{
    /// <summary>The findings this rule sees in <paramref name="context"/>; empty when healthy.</summary>
    IEnumerable<Finding> Evaluate(DiagnosisContext context);
}
