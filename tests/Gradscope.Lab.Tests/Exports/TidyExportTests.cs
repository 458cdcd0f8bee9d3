using Gradscope.Diagnostics;
using Gradscope.Lab.Exports;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Tests.Traces;
using Parquet;

namespace Gradscope.Lab.Tests.Exports;

public sealed class TidyExportTests
{
    private static string Csv(RunRecord record)
    {
        using var output = new MemoryStream();
        TidyExport.WriteCsv([record], output);
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public void Csv_RunLevelRows_HaveAnEmptyLayer_LayerRowsTheirNumberAndName()
    {
        var (record, _) = TraceTestRuns.Streamed(MonitorPreset.Cheap);
        var lines = Csv(record).Split('\n');
        Assert.Equal("run,step,layer,layer_name,statistic,value", lines[0]);
        Assert.StartsWith("01JTESTRUN0000000000000000,0,,,loss,", lines[1]);
        Assert.Contains("01JTESTRUN0000000000000000,0,,,learning_rate,0.1", lines);
        string delta = TidyExport.Number(record.Trace[LayerStat.DeltaRms, 3, 1]);
        Assert.Contains($"01JTESTRUN0000000000000000,3,2,2,delta_rms,{delta}", lines);
        Assert.Contains(lines, l => l.StartsWith("01JTESTRUN0000000000000000,11,,,test_accuracy,", StringComparison.Ordinal));
    }

    [Fact]
    public void Csv_StepsAStatisticWasNotMeasuredAt_AreLeftOut()
    {
        // Cheap: weight norm and update ratio at steps 0, 10, 20 only.
        var (record, _) = TraceTestRuns.Streamed(MonitorPreset.Cheap);
        var steps = Csv(record).Split('\n')
            .Where(l => l.Contains(",1,0,weight_norm,", StringComparison.Ordinal))
            .Select(l => int.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        Assert.Equal([0, 10, 20], steps);
    }

    [Fact]
    public void Csv_MeasuredNonFiniteValues_AreWritten()
    {
        // lr 1e6 on sigmoid blows up: NaN rows where the step saw a non-finite value stay in.
        var config = TraceTestRuns.Config("relu") with { LearningRate = 1e6, Epochs = 1 };
        var (record, _) = TraceTestRuns.Streamed(MonitorPreset.Cheap, config);
        var trace = record.Trace;
        int s = trace.StepCount - 1;
        Assert.False(double.IsFinite(trace.Loss(s)));
        string csv = Csv(record);
        Assert.Contains($",{trace.StepNumber(s)},,,loss,{TidyExport.Number(trace.Loss(s))}", csv);
        Assert.Contains($",{trace.StepNumber(s)},1,0,grad_norm,", csv);
    }

    [Fact]
    public void Number_WritesNaNAndInfinityByName()
    {
        Assert.Equal("NaN", TidyExport.Number(double.NaN));
        Assert.Equal("Infinity", TidyExport.Number(double.PositiveInfinity));
        Assert.Equal("-Infinity", TidyExport.Number(double.NegativeInfinity));
        Assert.Equal("0.1", TidyExport.Number(0.1));
    }

    [Fact]
    public async Task Parquet_ReadsBack_TheSameRows()
    {
        var (record, _) = TraceTestRuns.Streamed(MonitorPreset.Cheap);
        var expected = TidyRows.Of(record).ToList();
        using var output = new MemoryStream();
        TidyExport.WriteParquet([record], output);
        output.Position = 0;
        await using var reader = await ParquetReader.CreateAsync(output);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(TidyExport.Columns, fields.Select(f => f.Name));
        using var group = reader.OpenRowGroupReader(0);
        Assert.Equal(expected.Count, group.RowCount);
        var layers = new int?[expected.Count];
        await group.ReadAsync<int>(fields[2], layers);
        var values = new double[expected.Count];
        await group.ReadAsync<double>(fields[5], values);
        var statistics = new string[expected.Count];
        await group.ReadAsync(fields[4], statistics);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Layer, layers[i]);
            Assert.Equal(expected[i].Value, values[i]);
            Assert.Equal(expected[i].Statistic, statistics[i]);
        }

        Assert.Null(layers[0]);
    }
}
