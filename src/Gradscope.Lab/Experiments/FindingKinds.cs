using Gradscope.Diagnostics;

namespace Gradscope.Lab.Experiments;

/// <summary>The findings of a run as one table cell: their kinds, comma-separated ("-" for none).</summary>
internal static class FindingKinds
{
    public static ResultValue Cell(IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
            return ResultValue.Of("-");
        var kinds = new string[findings.Count];
        for (int i = 0; i < kinds.Length; i++)
            kinds[i] = findings[i].Kind.ToString();
        return ResultValue.Of(string.Join(", ", kinds));
    }
}
