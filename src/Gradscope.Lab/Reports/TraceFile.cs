using Gradscope.Diagnostics;
using Gradscope.Lab.Outputs;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Traces;

namespace Gradscope.Lab.Reports;

/// <summary>
/// Writes a bare <see cref="Trace"/> (no run around it) as a trace file, format v2 (see
/// <see cref="TraceFiles"/>): no id, spec or <c>end</c> line. A recorded run writes its
/// <see cref="RunRecord"/> with <see cref="TraceFiles.Write"/> instead.
/// </summary>
public static class TraceFile
{
    /// <summary>Writes <paramref name="trace"/> to <paramref name="path"/>, replaced atomically under the output policy of <see cref="OutputFiles"/>.</summary>
    public static void Write(Trace trace, string path)
    {
        var files = new OutputFiles();
        files.Write(files.AddFile("trace", path), stream => Write(trace, stream));
    }

    /// <summary>Writes <paramref name="trace"/> as UTF-8 JSON Lines to <paramref name="output"/>, which stays open.</summary>
    public static void Write(Trace trace, Stream output) =>
        TraceFiles.Write(new RunRecord { Id = "", Trace = trace, Status = RunStatus.Running, Started = DateTimeOffset.UtcNow }, output);
}
