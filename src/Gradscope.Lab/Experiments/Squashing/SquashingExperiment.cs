using System.Diagnostics;
using System.Globalization;

namespace Gradscope.Lab.Experiments;

/// <summary>
/// The seed's own explanation of vanishing gradients, measured on untrained networks: with
/// squashing activations "even a large change in the value of parameters for the early layers
/// doesn't have a big effect on the output", because stacked layers map "a large input region to
/// a smaller output region", then "an even smaller region". A sigmoid network (standard init)
/// beside a ReLU + He network of the same shape at depths 5, 10, 20: (a) how far the logits move
/// when one layer's weights are replaced by W + D, beside that layer's gradient; (b) how a dense
/// grid over the input plane shrinks layer by layer, beside mean-field theory's correlation map.
/// </summary>
public sealed class SquashingExperiment : IExperiment
{
    /// <inheritdoc/>
    public string Name => "squashing";

    /// <inheritdoc/>
    public string Summary =>
        "Squashing layers shrink the input region layer by layer, so perturbing early layers barely moves the output: sigmoid vs ReLU + He at depths 5, 10, 20 (untrained)";

    /// <inheritdoc/>
    public IReadOnlyList<string> Papers { get; } = ["Poole et al. (2016), the correlation map"];

    /// <inheritdoc/>
    public ExperimentResult Run(ExperimentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sizes = settings.Quick ? SquashingSizes.Quick : SquashingSizes.Full;
        var cells = MeasureAll(settings, sizes);
        return new ExperimentResult
        {
            Experiment = Name,
            Setup = Setup(settings, sizes),
            Cells = SquashingTables.Cells(cells),
            Tables = DetailTables(cells),
            Expectations = SquashingExpectations.Check(cells),
            Notes = SquashingNotes.Lines(sizes),
            Charts = SquashingPictures.Charts(cells),
            Images = SquashingPictures.Images(cells, sizes.GridSide),
        };
    }

    private static List<SquashingCell> MeasureAll(ExperimentSettings settings, SquashingSizes sizes)
    {
        var jobs = new List<(SquashingFamily Family, int Depth, int Seed)>();
        foreach (var family in new[] { SquashingFamily.Sigmoid, SquashingFamily.Relu })
        {
            foreach (int depth in sizes.Depths)
            {
                for (int s = 0; s < sizes.Seeds; s++)
                    jobs.Add((family, depth, settings.Seed + s));
            }
        }

        var results = new NetworkMeasurement[jobs.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = settings.Workers, CancellationToken = settings.Cancellation };
        Parallel.For(0, jobs.Count, options, i =>
        {
            var (family, depth, seed) = jobs[i];
            var watch = Stopwatch.StartNew();
            results[i] = SquashingMeasurement.Measure(family, depth, seed, sizes);
            settings.Report(string.Create(CultureInfo.InvariantCulture, $"{family.Label} depth {depth} seed {seed}: measured in {watch.Elapsed.TotalSeconds:F1} s"));
        });

        var cells = new List<SquashingCell>();
        for (int start = 0; start < results.Length; start += sizes.Seeds)
            cells.Add(new SquashingCell(results[start..(start + sizes.Seeds)]));
        return cells;
    }

    private static List<ResultTable> DetailTables(IReadOnlyList<SquashingCell> cells)
    {
        var tables = new List<ResultTable>();
        foreach (var cell in cells)
            tables.Add(SquashingTables.Sensitivity(cell));
        foreach (var cell in cells)
            tables.Add(SquashingTables.Spread(cell));
        return tables;
    }

    private static string Setup(ExperimentSettings settings, SquashingSizes sizes) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"Untrained networks, float64: 2-D input on [-2, 2]^2 -> depth x {sizes.Width} -> 3 logits; sigmoid + standard init vs ReLU + He normal, depths {string.Join(", ", sizes.Depths)}; seeds {settings.Seed}..{settings.Seed + sizes.Seeds - 1}; {sizes.Draws} perturbations per layer and size on a batch of {sizes.BatchSize}; grid {sizes.GridSide} x {sizes.GridSide}, {sizes.Pairs} pairs for correlations");
}
