using Gradscope.Diagnostics;
using Spectre.Console;

namespace Gradscope.Cli.Output;

/// <summary>Findings as a user reads them: kind and severity, the cause, the evidence and the remedies.</summary>
internal static class FindingsView
{
    /// <summary>Writes the findings; <paramref name="code"/>, when given, supplies the code that applies each remedy, printed under it.</summary>
    public static void Write(Terminal terminal, DiagnosisReport report, Func<Remedy, string?>? code = null)
    {
        if (report.Findings.Count == 0)
        {
            terminal.Line("[green]No findings: gradients flow through every layer.[/]");
            return;
        }

        // Code is printed under a remedy's first appearance only; findings often share remedies.
        var shown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var finding in report.Findings)
        {
            string colour = finding.Severity switch { Severity.Error => "red", Severity.Warning => "yellow", _ => "grey" };
            terminal.Line($"[{colour} bold]{finding.Kind}[/] [{colour}]({finding.Severity.ToString().ToLowerInvariant()})[/] in {Markup.Escape(LayerList(finding.LayerRefs))}");
            terminal.Line($"  cause: {Markup.Escape(finding.Cause)}");
            terminal.Line($"  evidence: {Markup.Escape(Evidence(finding))}");
            for (int i = 0; i < finding.Remedies.Count; i++)
            {
                terminal.Line($"  fix {i + 1}: {Markup.Escape(finding.Remedies[i].Title)} [grey]({Markup.Escape(finding.Remedies[i].Id)})[/]");
                if (code is not null && !shown.Add(finding.Remedies[i].Id))
                    terminal.Line("      [grey](code as above)[/]");
                else
                    WriteCode(terminal, code?.Invoke(finding.Remedies[i]));
            }
        }
    }

    private static void WriteCode(Terminal terminal, string? code)
    {
        if (string.IsNullOrEmpty(code))
            return;
        foreach (string line in code.TrimEnd('\n').Split('\n'))
            terminal.Line($"      [grey]{Markup.Escape(line)}[/]");
    }

    /// <summary><c>layer 3 (4)</c>, <c>layers 1 (0), 2 (2)</c>, or for many <c>layers 1 (0) to 10 (18), 10 layers</c>.</summary>
    public static string LayerList(IReadOnlyList<LayerRef> layers)
    {
        if (layers.Count == 0)
            return "the network";
        if (layers.Count == 1)
            return layers[0].ToString();
        if (layers.Count > 6)
            return $"layers {Short(layers[0])} to {Short(layers[^1])}, {layers.Count} layers";
        var names = new string[layers.Count];
        for (int i = 0; i < layers.Count; i++)
            names[i] = Short(layers[i]);
        return "layers " + string.Join(", ", names);
    }

    private static string Short(LayerRef layer) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{layer.Number} ({layer.Name})");

    private static string Evidence(Finding finding)
    {
        var parts = new List<string>();
        foreach (var (name, value) in finding.Evidence)
            parts.Add($"{name} = {Compact(value)}");
        foreach (var (name, value) in finding.Thresholds)
            parts.Add($"threshold {name} = {Compact(value)}");
        return string.Join(", ", parts);
    }

    private static string Compact(double v) =>
        double.IsInfinity(v) ? "inf" : Math.Abs(v) is >= 1e-3 and < 1e4 or 0 ? v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : Format.Sci(v);

    /// <summary>The kinds of <paramref name="findings"/> for a table cell (<c>Vanishing, StalledLayers</c>), or <c>-</c> when none.</summary>
    public static string Kinds(IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
            return "-";
        var kinds = new List<string>(findings.Count);
        foreach (var f in findings)
            kinds.Add(f.Kind.ToString());
        return string.Join(", ", kinds);
    }
}
