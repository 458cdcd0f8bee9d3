using System.Globalization;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Exports.TensorBoard;

/// <summary>
/// Writes a recorded run as a TensorBoard event file (<c>events.out.tfevents.*</c>): TFRecord
/// framing (<see cref="TfRecord"/>) around <c>Event</c> protocol buffers (wall_time 1, step 2,
/// file_version 3, summary 5; <c>Summary.Value</c>: tag 1, simple_value 2, histo 5). The first
/// event says <c>brain.Event:2</c>; then, in step order, one event per recorded step with the
/// loss, learning rate and every measured per-layer statistic (<see cref="TensorBoardTags"/>; the
/// rows <see cref="TidyRows"/> leaves out are left out here too, and non_finite only where it is
/// not zero), the histograms of that step (<see cref="TensorBoardHistograms"/>), and each epoch's
/// losses and accuracies at its last step. Put each run in its own folder under one log folder and
/// TensorBoard compares them.
/// </summary>
public static class TensorBoardExport
{
    /// <summary>The event file's name: <c>events.out.tfevents.SECONDS.gradscope</c> (TensorBoard looks for <c>tfevents</c>).</summary>
    public static string FileName(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return "events.out.tfevents." + Start(record).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + ".gradscope";
    }

    /// <summary>Writes <paramref name="record"/>'s event file to <paramref name="output"/>, which stays open.</summary>
    public static void Write(RunRecord record, Stream output)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(output);
        var trace = record.Trace;
        double start = Start(record).ToUnixTimeMilliseconds() / 1000.0;
        var version = new ProtoWriter();
        version.Double(1, start);
        version.String(3, "brain.Event:2");
        TfRecord.Write(output, version.ToArray());
        var layerTags = new string[trace.LayerCount];
        for (int l = 0; l < layerTags.Length; l++)
            layerTags[l] = TensorBoardTags.Layer(l + 1, trace.LayerNames[l], trace.LayerCount);
        var epochEnds = TidyRows.EpochEnds(trace);
        int histogram = 0, epoch = 0;
        for (int s = 0; s < trace.StepCount; s++)
        {
            int step = trace.StepNumber(s);
            double wall = start + (double.IsFinite(trace.WallSeconds(s)) ? trace.WallSeconds(s) : 0);
            WriteEvent(output, wall, step, StepSummary(trace, s, layerTags));
            for (; histogram < trace.Histograms.Count && trace.Histograms[histogram].Step <= s; histogram++)
            {
                var summary = HistogramSummary(trace, trace.Histograms[histogram], layerTags);
                if (summary is not null)
                    WriteEvent(output, wall, step, summary);
            }

            for (; epoch < epochEnds.Count && epochEnds[epoch] <= step; epoch++)
                WriteEvent(output, wall, epochEnds[epoch], EpochSummary(trace.Epochs[epoch]));
        }

        for (; epoch < epochEnds.Count; epoch++)
            WriteEvent(output, start, epochEnds[epoch], EpochSummary(trace.Epochs[epoch]));
        output.Flush();
    }

    private static DateTimeOffset Start(RunRecord record) => record.Started == DateTimeOffset.MinValue ? DateTimeOffset.UnixEpoch : record.Started;

    private static void WriteEvent(Stream output, double wallTime, long step, ProtoWriter summary)
    {
        var e = new ProtoWriter();
        e.Double(1, wallTime);
        e.Int64(2, step);
        e.Message(5, summary);
        TfRecord.Write(output, e.ToArray());
    }

    private static void Scalar(ProtoWriter summary, string tag, double value)
    {
        var v = new ProtoWriter();
        v.String(1, tag);
        v.Float(2, (float)value);
        summary.Message(1, v);
    }

    private static ProtoWriter StepSummary(Trace trace, int s, string[] layerTags)
    {
        var summary = new ProtoWriter();
        Scalar(summary, TensorBoardTags.Loss, trace.Loss(s));
        if (!double.IsNaN(trace.LearningRate(s)))
            Scalar(summary, TensorBoardTags.LearningRate, trace.LearningRate(s));
        for (int l = 0; l < trace.LayerCount; l++)
        {
            for (int i = 0; i < LayerStatNames.Count; i++)
            {
                var stat = (LayerStat)i;
                double value = trace[stat, s, l];
                if (TidyRows.IsMeasured(trace, s, l, value) && (stat != LayerStat.NonFinite || value != 0))
                    Scalar(summary, TensorBoardTags.Scalar(stat, layerTags[l]), value);
            }
        }

        return summary;
    }

    private static ProtoWriter? HistogramSummary(Trace trace, HistogramRecord h, string[] layerTags)
    {
        var (low, high) = Histograms.ActivationRange(trace.Activation);
        var histo = h.Kind == HistogramKind.Gradient ? TensorBoardHistograms.Gradient(h.Counts) : TensorBoardHistograms.Activation(h.Counts, low, high);
        if (histo is null)
            return null;
        var value = new ProtoWriter();
        value.String(1, TensorBoardTags.Histogram(h.Kind, layerTags[h.Layer]));
        value.Message(5, histo);
        var summary = new ProtoWriter();
        summary.Message(1, value);
        return summary;
    }

    private static ProtoWriter EpochSummary(Training.EpochResult e)
    {
        var summary = new ProtoWriter();
        (string Name, double Value)[] values =
            [("train_loss", e.TrainLoss), ("train_accuracy", e.TrainAccuracy), ("test_loss", e.TestLoss), ("test_accuracy", e.TestAccuracy)];
        foreach (var (name, value) in values)
        {
            if (!double.IsNaN(value))
                Scalar(summary, TensorBoardTags.Epoch(name), value);
        }

        return summary;
    }
}
