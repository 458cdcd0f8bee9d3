using System.Globalization;
using System.Text;
using Gradscope.Cli.Output;
using Gradscope.Lab.Outputs;
using Gradscope.Lab.Reports;
using Gradscope.Theory;
using Spectre.Console;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope theory --phase-diagram</c>: the (sigma_w^2, sigma_b^2) plane as a PNG, a
/// self-contained HTML report, or in the terminal as the critical line and a coarse phase map.
/// </summary>
internal static class PhaseDiagramRunner
{
    /// <summary>
    /// The default grid: the engine's 36 x 16 takes about 14 s on two cores (every cell solves
    /// for q* by quadrature), 16 x 8 a few seconds, and the critical line is solved exactly per row anyway.
    /// </summary>
    public const string DefaultGrid = "16x8";

    public static (int Weights, int Biases) ParseGrid(string text)
    {
        string[] parts = text.ToLowerInvariant().Split('x');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int b)
            && w >= 2 && b >= 2 && w <= 200 && b <= 200)
        {
            return (w, b);
        }

        throw new UsageException($"--grid must be WxB with 2 to 200 points per axis, e.g. 16x8 or 36x16; got '{text}'.");
    }

    public static int Run(CliContext context, TheoryCommand.Settings settings, (int Weights, int Biases) grid, string? png, string? html)
    {
        // Both files are checked before the diagram is computed; '-' sends one to standard output.
        var files = new OutputFiles(context.OpenStandardOutput);
        var pngTarget = png is null ? null : files.AddFile("--png", png);
        var htmlTarget = html is null ? null : files.AddFile("--output", html);
        if (settings.Json && files.WritesStandardOutput)
            throw new UsageException("--json prints its object on standard output, so no output can also be '-'; name a file.");
        var terminal = (files.WritesStandardOutput ? context with { Out = context.Error } : context).CreateTerminal();
        var options = new PhaseDiagramOptions { WeightVarianceSteps = grid.Weights, BiasVarianceSteps = grid.Biases };
        (double, double)? marker = settings.WeightVariance is { } wv ? (wv, settings.BiasVariance) : null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var diagram = DelayedProgress.Run(terminal, settings.Json, $"phase diagram of {settings.Activation.Name}", grid.Biases,
            tick => PhaseDiagram.Compute(settings.Activation, options, _ => tick()));
        double seconds = clock.Elapsed.TotalSeconds;
        if (pngTarget is not null)
        {
            files.Write(pngTarget, stream => stream.Write(PhaseDiagramPlot.PngBytes(diagram, marker)));
            terminal.Text($"wrote {png}");
        }

        if (htmlTarget is not null)
        {
            files.Write(htmlTarget, stream => stream.Write(PhaseDiagramReport.HtmlBytes(diagram, marker)));
            terminal.Text($"wrote {html}");
        }

        if (png is null && html is null)
            WriteTerminal(terminal, diagram, marker, seconds);
        return CliApp.Success;
    }

    private static void WriteTerminal(Terminal terminal, PhaseDiagram diagram, (double W, double B)? marker, double seconds)
    {
        terminal.Line($"[bold]Gradscope phase diagram[/]  {Markup.Escape(diagram.Activation)}, sigma_w^2 {diagram.WeightVariances[0]:G3}..{diagram.WeightVariances[^1]:G3}, " +
            $"sigma_b^2 {diagram.BiasVariances[0]:G3}..{diagram.BiasVariances[^1]:G3} ({diagram.WeightVariances.Length} x {diagram.BiasVariances.Length} grid, {seconds:F1} s)");
        var table = Terminal.NewTable(terminal.Plain, "sigma_b^2", "critical sigma_w^2");
        foreach (var point in diagram.CriticalLine)
            table.AddRow(TheoryReport.G(point.BiasVariance), point.WeightVariance is { } w ? TheoryReport.G(w) : "none");
        terminal.Write(table);
        terminal.Text("phase map ('.' ordered: gradients vanish; '#' chaotic: gradients explode; '|' critical line" + (marker is null ? "" : "; '@' your configuration") + "):");
        foreach (string line in AsciiMap(diagram, marker))
            terminal.Text(line);
    }

    /// <summary>Rows from the largest sigma_b^2 down, 3 characters per sigma_w^2 column, then the sigma_w^2 axis.</summary>
    internal static IReadOnlyList<string> AsciiMap(PhaseDiagram diagram, (double W, double B)? marker)
    {
        var weights = diagram.WeightVariances;
        var biases = diagram.BiasVariances;
        int markRow = marker is { } m ? Nearest(biases, m.B) : -1, markCol = marker is { } n ? Nearest(weights, n.W) : -1;
        var lines = new List<string>();
        for (int b = biases.Length - 1; b >= 0; b--)
        {
            var row = new StringBuilder();
            int criticalCol = diagram.CriticalLine[b].WeightVariance is { } wc && wc >= weights[0] && wc <= weights[^1] ? Nearest(weights, wc) : -1;
            for (int w = 0; w < weights.Length; w++)
            {
                char c = b == markRow && w == markCol ? '@' : w == criticalCol ? '|' : Symbol(diagram.At(b, w).Phase);
                row.Append(' ').Append(c).Append(' ');
            }

            lines.Add($"{biases[b].ToString("0.000", CultureInfo.InvariantCulture),7} {row}");
        }

        lines.Add($"{"",7} {weights[0].ToString("0.##", CultureInfo.InvariantCulture)}{new string(' ', Math.Max(1, (3 * weights.Length) - 10))}{weights[^1].ToString("0.##", CultureInfo.InvariantCulture)}  (sigma_w^2)");
        return lines;
    }

    private static char Symbol(SignalPhase phase) => phase switch
    {
        SignalPhase.Ordered => '.',
        SignalPhase.Chaotic => '#',
        _ => '|',
    };

    private static int Nearest(double[] axis, double value)
    {
        int best = 0;
        for (int i = 1; i < axis.Length; i++)
        {
            if (Math.Abs(axis[i] - value) < Math.Abs(axis[best] - value))
                best = i;
        }

        return best;
    }
}
