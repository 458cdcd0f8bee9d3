using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Traces;
using Gradscope.Training;

namespace Gradscope.Lab.Tests.Traces;

/// <summary>Small recorded runs for the trace and export tests, streamed through a <see cref="TraceWriter"/>.</summary>
internal static class TraceTestRuns
{
    public static TestFlags Config(string activation = "tanh", int epochs = 2) =>
        new() { Data = "spiral", Hidden = [8, 8, 8], Activation = activation, Epochs = epochs, Seed = 1 };

    /// <summary>Trains with the monitor and a streaming writer; returns the record and the trace text.</summary>
    public static (RunRecord Record, string Text) Streamed(MonitorPreset preset, TestFlags? config = null)
    {
        var run = PreparedRun<float>.Create(config ?? Config());
        var monitor = new GradientMonitor<float>(run.Network, MonitorOptions.For(preset), MonitoredRun.ExpectedSteps(run));
        run.Trainer.AddObserver(monitor);
        var record = new RunRecord
        {
            Id = "01JTESTRUN0000000000000000",
            Name = "tanh-3x8",
            Tags = ["test"],
            Spec = run.Config,
            Data = new DataIdentity("spiral"),
            Started = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Status = RunStatus.Running,
            Trace = monitor.Trace,
            Layers = RecordedLayers.Of(monitor),
        };
        using var output = new MemoryStream();
        var stream = new KeepOpen(output);
        using (var writer = new TraceWriter(stream, record))
        {
            run.Trainer.AddObserver(new TraceObserver<float>(writer));
            var result = run.Trainer.Train(run.Train, run.Test);
            var report = Diagnosis.Run(MonitoredRun.Context(monitor.Trace, run.Config));
            var final = result.Epochs.Count == 0 ? RunMetrics.None : new RunMetrics(result.Epochs[^1].TrainLoss, result.Epochs[^1].TrainAccuracy, result.Epochs[^1].TestAccuracy);
            var status = result.Status == TrainingStatus.Diverged ? RunStatus.Diverged : RunStatus.Completed;
            writer.Complete(status, final, report.Findings);
            record = record with { Status = status, Final = final, Findings = report.Findings };
        }

        return (record, System.Text.Encoding.UTF8.GetString(output.ToArray()));
    }

    public static RunRecord Read(string text, string source = "t.jsonl") =>
        TraceReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), source);

    // The writer disposes its stream; the test reads the bytes afterwards.
    private sealed class KeepOpen(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}
