namespace Gradscope.Lab.Experiments;

/// <summary>A line chart for the HTML report: one or more series over a shared x axis.</summary>
/// <param name="Title">What it shows.</param>
/// <param name="XLabel">The x axis ("layer", "depth").</param>
/// <param name="YLabel">The y axis.</param>
/// <param name="LogY">Draw y on a log10 scale (values must be positive; others are left out).</param>
/// <param name="Series">The curves.</param>
public sealed record ExperimentChart(string Title, string XLabel, string YLabel, bool LogY, IReadOnlyList<ChartSeries> Series);

/// <summary>One curve of an <see cref="ExperimentChart"/>.</summary>
/// <param name="Name">Its legend entry.</param>
/// <param name="X">Its x values.</param>
/// <param name="Y">Its y values, one per x.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>
/// A grey-scale or diverging image for the HTML report: values on a <paramref name="Width"/> x
/// <paramref name="Height"/> grid, row-major, drawn with one colour scale per image.
/// </summary>
/// <param name="Title">What it shows ("sigmoid, layer 3: first output unit over the input grid").</param>
/// <param name="Width">Pixels across.</param>
/// <param name="Height">Pixels down.</param>
/// <param name="Values">Width x Height values, row by row.</param>
public sealed record ExperimentImage(string Title, int Width, int Height, IReadOnlyList<double> Values);
