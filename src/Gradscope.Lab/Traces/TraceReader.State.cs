using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Training;

namespace Gradscope.Lab.Traces;

public static partial class TraceReader
{
    // What the lines after the header build up.
    private sealed class State(RunRecord header, int version)
    {
        private readonly Trace _trace = header.Trace;
        private readonly Dictionary<int, int> _indexOfStep = [];
        private readonly List<Finding> _findings = [];
        private RunStatus _status = header.Status;
        private RunMetrics? _final;
        private DateTimeOffset? _ended;
        private string? _error;

        public void Apply(string type, JsonElement root, LineContext at)
        {
            switch (type)
            {
                case "step": Step(root, at); break;
                case "histogram": Histogram(root, at); break;
                case "epoch": Epoch(root, at); break;
                case "non_finite": NonFinite(root, at); break;
                case "finding": _findings.Add(ReadFinding(root, at, _trace.LayerNames)); break;
                case "end": End(root, at); break;
                case "header": throw at.Fail("a second header line");
                default: break;
            }
        }

        public RunRecord ToRecord() => header with
        {
            Status = _status,
            Findings = _findings,
            Final = _final ?? FromLastEpoch(),
            Ended = _ended,
            Error = _error,
        };

        private RunMetrics FromLastEpoch() => _trace.Epochs.Count == 0
            ? RunMetrics.None
            : new RunMetrics(_trace.Epochs[^1].TrainLoss, _trace.Epochs[^1].TrainAccuracy, _trace.Epochs[^1].TestAccuracy);

        private void Step(JsonElement root, LineContext at)
        {
            // Version 1 numbered steps by their position, which is the training step when every step is measured.
            int stepNumber = version == 1 ? _trace.StepCount : at.Integer(root, "step");
            if (!_indexOfStep.TryAdd(stepNumber, _trace.StepCount))
                throw at.Fail($"step {stepNumber} appears twice");
            // Statistic-major, as Trace.AppendStep takes them; a statistic the line lacks was not measured.
            var stats = new double[LayerStatNames.Count * _trace.LayerCount];
            for (int i = 0; i < LayerStatNames.Count; i++)
            {
                string name = LayerStatNames.Of((LayerStat)i);
                var row = stats.AsSpan(i * _trace.LayerCount, _trace.LayerCount);
                if (!root.TryGetProperty(name, out var values) || values.ValueKind == JsonValueKind.Null)
                {
                    row.Fill(double.NaN);
                    continue;
                }

                if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() != _trace.LayerCount)
                    throw at.Fail($"\"{name}\" must be an array of {_trace.LayerCount} numbers (one per layer, null for NaN or infinity)");
                int layer = 0;
                foreach (var v in values.EnumerateArray())
                    row[layer++] = at.NumberOrNull(v, name);
            }

            _trace.AppendStep(stepNumber, at.Number(root, "loss"), at.OptionalNumber(root, "learning_rate"), at.OptionalNumber(root, "wall_seconds"), stats);
        }

        private int IndexOf(int stepNumber, LineContext at) =>
            _indexOfStep.TryGetValue(stepNumber, out int index) ? index : throw at.Fail($"step {stepNumber} has no step line before it");

        private int Layer(JsonElement root, LineContext at)
        {
            int layer = at.Integer(root, "layer");
            return layer >= 1 && layer <= _trace.LayerCount ? layer - 1 : throw at.Fail($"\"layer\" {layer} is not a layer of this trace (1 to {_trace.LayerCount})");
        }

        private void Histogram(JsonElement root, LineContext at)
        {
            int s = IndexOf(at.Integer(root, "step"), at);
            int layer = Layer(root, at);
            string kindName = at.Text(root, "kind");
            var kind = kindName switch
            {
                "gradient" => HistogramKind.Gradient,
                "activation" => HistogramKind.Activation,
                _ => throw at.Fail($"histogram \"kind\" must be \"gradient\" or \"activation\"; found \"{kindName}\""),
            };
            int bins = kind == HistogramKind.Gradient ? Histograms.GradientBins : Histograms.ActivationBins + 2;
            var counts = at.Array(root, "counts");
            if (counts.Count != bins)
                throw at.Fail($"a {kindName} histogram has {bins} counts; found {counts.Count}");
            var values = new int[bins];
            for (int i = 0; i < bins; i++)
                values[i] = counts[i].TryGetInt32(out int c) && c >= 0 ? c : throw at.Fail($"\"counts\"[{i}] must be a count (an integer from 0)");
            _trace.Histograms.Add(new HistogramRecord(s, layer, kind, values));
        }

        private void Epoch(JsonElement root, LineContext at) => _trace.Epochs.Add(new EpochResult(
            at.Integer(root, "epoch") - 1,
            at.Integer(root, "steps"),
            at.OptionalNumber(root, "train_loss"),
            at.OptionalNumber(root, "train_accuracy"),
            at.OptionalNumber(root, "test_loss"),
            at.OptionalNumber(root, "test_accuracy"),
            at.OptionalNumber(root, "learning_rate")));

        private void NonFinite(JsonElement root, LineContext at) =>
            _trace.FirstNonFinite ??= new NonFiniteEvent(IndexOf(at.Integer(root, "step"), at), Layer(root, at), at.Text(root, "where"));

        private void End(JsonElement root, LineContext at)
        {
            string status = at.Text(root, "status");
            _status = Enum.TryParse<RunStatus>(status, ignoreCase: true, out var parsed) && status == TraceLines.StatusName(parsed)
                ? parsed
                : throw at.Fail($"\"status\" \"{status}\" is not one of queued, running, completed, failed, interrupted, diverged");
            _final = new RunMetrics(at.OptionalNumber(root, "loss"), at.OptionalNumber(root, "train_accuracy"), at.OptionalNumber(root, "test_accuracy"));
            _ended = at.OptionalTime(root, "ended");
            _error = at.OptionalText(root, "error");
        }
    }
}
