using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Gradscope.Benchmarks;

/// <summary>
/// GFLOP/s of a GEMM benchmark: 2 m n k floating-point operations (a multiply and an add per
/// term) over the mean time. Benchmarks with a <c>Size</c> parameter are square products.
/// </summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => false;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Billions of floating-point operations per second: 2 n^3 / mean time";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var size = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Size")?.Value;
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (size is not int n || stats is null)
            return "-";
        double flops = 2.0 * n * n * n;
        return (flops / stats.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }
}
