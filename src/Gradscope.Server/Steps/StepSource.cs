using System.Runtime.CompilerServices;
using Gradscope.Diagnostics;

namespace Gradscope.Server.Steps;

/// <summary>
/// The rows a step request covers, read in place from cached series (no copy): rows
/// <c>[Start, End)</c> of each selected statistic's series, restricted to the selected layers.
/// </summary>
internal sealed class StepSource(SeriesView[] views, int start, int end, int[] layers, LayerStat[] stats)
{
    public int Count => end - start;

    public int Width => layers.Length;

    public LayerStat[] Stats => stats;

    public long Step(int row) => views[0].Steps[start + row];

    public double Loss(int row) => views[0].Loss[start + row];

    public double Rate(int row) => views[0].Rate[start + row];

    /// <summary>
    /// Statistic <paramref name="s"/> of the selected layers at <paramref name="row"/>: in place when
    /// the selection is a run of consecutive layers (the usual "all layers"), else copied into
    /// <paramref name="scratch"/>.
    /// </summary>
    public ReadOnlySpan<double> RowView(int s, int row, Span<double> scratch)
    {
        if (!_consecutive)
        {
            Row(s, row, scratch);
            return scratch;
        }

        var view = views[s];
        return view.Values.AsSpan(((start + row) * view.Layers) + layers[0], layers.Length);
    }

    private readonly bool _consecutive = IsConsecutive(layers);

    private static bool IsConsecutive(int[] layers)
    {
        for (int j = 1; j < layers.Length; j++)
        {
            if (layers[j] != layers[j - 1] + 1)
                return false;
        }

        return layers.Length > 0;
    }

    /// <summary>Copies statistic <paramref name="s"/> of the selected layers at <paramref name="row"/> into <paramref name="into"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Row(int s, int row, Span<double> into)
    {
        var view = views[s];
        int offset = (start + row) * view.Layers;
        for (int j = 0; j < layers.Length; j++)
            into[j] = view.Values[offset + layers[j]];
    }
}
