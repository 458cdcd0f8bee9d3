using System.Diagnostics;
using System.Text.Json;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Tests.Runs;
using Gradscope.Lab.Traces;

namespace Gradscope.Lab.Tests.Traces;

/// <summary>
/// The trace contract from the other side: traces the PyTorch hook (integrations/python,
/// <c>gradscope_torch</c>) wrote for an MLP and an LSTM validate against the trace v2 schema
/// line by line and read back with the numbers PyTorch computed.
/// </summary>
[Trait("Category", "PyTorch")]
public sealed class TorchTraceTests(TorchTraceTests.Traces traces) : IClassFixture<TorchTraceTests.Traces>
{
    [PyTorchFact]
    public void EveryLine_IsValidAgainstTheSchema()
    {
        foreach (string file in new[] { traces.Mlp, traces.Lstm })
        {
            foreach (string line in File.ReadAllLines(file))
                Assert.Empty(SchemaValidation.Errors("trace.v2.schema.json", line));
        }
    }

    [PyTorchFact]
    public void MlpTrace_ReadsLayersStepsAndValues()
    {
        var record = TraceReader.Read(traces.Mlp);
        var trace = record.Trace;
        Assert.Equal("torch", record.Kind);
        Assert.Equal(RunStatus.Completed, record.Status);
        Assert.Equal(["0", "2", "4"], trace.LayerNames);
        Assert.Equal(["tanh", "relu", "identity"], record.Layers.Select(l => l.Activation));
        Assert.Equal(6, trace.StepCount);
        using var expected = JsonDocument.Parse(File.ReadAllText(traces.Expected));
        var steps = expected.RootElement.GetProperty("mlp");
        for (int s = 0; s < trace.StepCount; s++)
        {
            Assert.Equal(s, trace.StepNumber(s));
            Assert.Equal(steps[s].GetProperty("loss").GetDouble(), trace.Loss(s), 12);
            var norms = steps[s].GetProperty("grad_norm");
            for (int l = 0; l < trace.LayerCount; l++)
                AssertRelative(norms[l].GetDouble(), trace[LayerStat.GradNorm, s, l]);
        }

        Assert.True(double.IsNaN(trace[LayerStat.UpdateRatio, 0, 0]));
        Assert.True(trace[LayerStat.UpdateRatio, 1, 0] > 0);
        Assert.Equal(3 * 3 * 2, trace.Histograms.Count); // steps 0, 2, 4; three layers; gradient and activation
        Assert.Null(trace.FirstNonFinite);
    }

    [PyTorchFact]
    public void LstmTrace_ReadsTheRecurrentLayer_AndLocatesTheNaN()
    {
        var record = TraceReader.Read(traces.Lstm);
        var trace = record.Trace;
        Assert.Equal(["lstm", "dense"], record.Layers.Select(l => l.Kind));
        Assert.Equal(["lstm", "head"], trace.LayerNames);
        Assert.Equal(4, trace.StepCount);
        Assert.True(trace[LayerStat.DeltaRms, 0, 0] > 0);
        Assert.True(trace[LayerStat.GradNorm, 2, 0] > 0);
        Assert.True(double.IsNaN(trace[LayerStat.GradNorm, 3, 1]));
        Assert.Equal(new NonFiniteEvent(3, 1, "activation"), trace.FirstNonFinite);
    }

    private static void AssertRelative(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-9 * Math.Abs(expected), $"expected {expected}, read {actual}");

    /// <summary>Runs integrations/python/tests/make_trace.py once for the class, in a temporary directory.</summary>
    public sealed class Traces : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "gradscope-torch-" + Guid.NewGuid().ToString("N"));
        private readonly Lazy<bool> _made;

        public Traces() => _made = new Lazy<bool>(Make);

        public string Mlp => Made("mlp.jsonl");

        public string Lstm => Made("lstm.jsonl");

        public string Expected => Made("expected.json");

        public void Dispose()
        {
            if (Directory.Exists(_directory))
                Directory.Delete(_directory, recursive: true);
        }

        private string Made(string file) => _made.Value ? Path.Combine(_directory, file) : throw new InvalidOperationException();

        private bool Make()
        {
            string root = RepositoryRoot();
            var start = new ProcessStartInfo(PyTorchFactAttribute.Python, [Path.Combine(root, "integrations", "python", "tests", "make_trace.py"), _directory])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["PYTHONPATH"] = Path.Combine(root, "integrations", "python");
            start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
            using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + PyTorchFactAttribute.Python);
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(180_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("make_trace.py ran over 3 minutes");
            }

            Assert.True(process.ExitCode == 0, $"make_trace.py failed ({process.ExitCode}): {stderr.Result}");
            return true;
        }

        private static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Gradscope.slnx")))
                    return dir.FullName;
            }

            throw new InvalidOperationException("no Gradscope.slnx above " + AppContext.BaseDirectory);
        }
    }
}
