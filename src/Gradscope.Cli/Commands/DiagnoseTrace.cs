using System.Globalization;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Traces;

namespace Gradscope.Cli.Commands;

/// <summary>
/// <c>gradscope diagnose --trace FILE</c>: the diagnosis rules on a recorded run's statistics, from
/// any trace (Gradscope's own or the PyTorch hook's), with the same findings, evidence and exit codes
/// as a diagnosis while training; for a PyTorch trace each remedy comes with its PyTorch code. With
/// <c>--try-fixes --data D</c> the traced architecture is trained from scratch in Gradscope with each
/// remedy, where Gradscope can express it.
/// </summary>
internal static class DiagnoseTrace
{
    public sealed record Request(string Trace, bool Json, bool TryFixes, string? Data, string? Label, int MaxFixes, int BatchSize, int Seed);

    /// <summary>The diagnosed trace: the run it records, what the rules saw, and their findings.</summary>
    public sealed record Result(RunRecord Run, DiagnosisContext Context, InitMatch Init, DiagnosisReport Report)
    {
        /// <summary>The remedy's PyTorch code for a trace from PyTorch; null otherwise.</summary>
        public string? Code(Remedy remedy) =>
            Run.Framework?.IsPyTorch == true ? TorchRemedyCode.For(remedy, TraceDiagnosis.LayersOf(Run), Run.Framework) : null;
    }

    public static int Run(CliContext context, Request request)
    {
        var result = Diagnose(request.Trace);
        if (result.Run.Trace.StepCount < TraceDiagnosis.ShortTraceSteps)
            context.Error.WriteLine($"warning: {request.Trace}: only {result.Run.Trace.StepCount.ToString(CultureInfo.InvariantCulture)} step(s) recorded; the rules judge the first and last tenths of a run, here one step each, so the findings rest on little (record {TraceDiagnosis.ShortTraceSteps} steps or more).");
        var stop = context.Interrupts.Listen();
        var fixes = request.TryFixes ? TraceFixes.Run(result, request, stop) : null;
        if (request.Json)
            DiagnoseTraceReport.Json(context.Out, request.Trace, result, fixes);
        else
            DiagnoseTraceReport.Text(context.CreateTerminal(), request.Trace, result, fixes);
        if (stop.IsCancellationRequested)
            return context.Interrupts.ExitCode;
        return result.Report.Healthy ? CliApp.Success : CliApp.Failure;
    }

    /// <summary>Reads and diagnoses the trace at <paramref name="path"/>; a trace with no step is an error naming the file.</summary>
    public static Result Diagnose(string path)
    {
        if (!File.Exists(path))
            throw new GradscopeException(Directory.Exists(path) ? $"{path}: is a directory; --trace takes a trace file (JSON Lines)." : $"{path}: no such trace file.");
        var run = TraceReader.Read(path);
        if (run.Trace.StepCount == 0)
            throw new GradscopeException($"{path}: the trace has a header but no step lines: too short to diagnose (the rules need recorded steps; {TraceDiagnosis.ShortTraceSteps} or more give them an early and a late window).");
        if (run.Trace.LayerCount == 0)
            throw new GradscopeException($"{path}: the trace's header lists no layers: nothing to diagnose.");
        var (diagnosisContext, init) = TraceDiagnosis.ContextFor(run);
        return new Result(run, diagnosisContext, init, WithRecordedThroughTime(Diagnosis.Run(diagnosisContext), run));
    }

    // A trace holds no gradient through time, so the rules cannot judge a recurrent layer's memory
    // from it; the VanishingThroughTime finding the recording run wrote into it is the judgment there is.
    private static DiagnosisReport WithRecordedThroughTime(DiagnosisReport report, RunRecord run)
    {
        if (run.Trace.ThroughTime.Count > 0)
            return report;
        var findings = new List<Finding>(report.Findings);
        foreach (var finding in run.Findings)
        {
            if (finding.Kind == FindingKind.VanishingThroughTime)
                findings.Add(finding);
        }

        if (findings.Count == report.Findings.Count)
            return report;
        findings.Sort((a, b) => b.Severity.CompareTo(a.Severity));
        return new DiagnosisReport(findings);
    }
}
