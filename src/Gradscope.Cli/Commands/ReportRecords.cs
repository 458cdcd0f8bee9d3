using System.Security.Cryptography;
using Gradscope.Diagnostics;
using Gradscope.Lab.Runs;
using Gradscope.Training;

namespace Gradscope.Cli.Commands;

/// <summary>
/// The <see cref="RunRecord"/> of a run this process just trained, for <c>--report</c>: its trace,
/// description, findings and final numbers. The run is not stored, so its id is made here.
/// </summary>
internal static class ReportRecords
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static RunRecord For(RunConfig config, TrainingResult training, Trace trace, IReadOnlyList<Finding> findings, string kind, string name, DateTimeOffset started) => new()
    {
        Id = NewId(started),
        Name = name,
        Kind = kind,
        Spec = SpecOf(config),
        Data = new DataIdentity(config.Data),
        Status = training.Status switch
        {
            TrainingStatus.Diverged => RunStatus.Diverged,
            TrainingStatus.Interrupted => RunStatus.Interrupted,
            _ => RunStatus.Completed,
        },
        Error = training.Status == TrainingStatus.Diverged ? training.Message : null,
        Started = started,
        Ended = DateTimeOffset.UtcNow,
        Trace = trace,
        Findings = findings,
        Final = training.Final is { } last ? new RunMetrics(last.TrainLoss, last.TrainAccuracy, last.TestAccuracy) : RunMetrics.None,
    };

    // A configuration the run description cannot say (it ran, so this is rare) leaves the report without one.
    private static RunSpec? SpecOf(RunConfig config)
    {
        try
        {
            return RunSpecs.FromConfig(config);
        }
        catch (GradscopeException)
        {
            return null;
        }
    }

    // A ULID: 48 bits of milliseconds since 1970, then 80 random bits, in Crockford's base 32.
    private static string NewId(DateTimeOffset time)
    {
        Span<byte> bits = stackalloc byte[16];
        RandomNumberGenerator.Fill(bits[6..]);
        long ms = time.ToUnixTimeMilliseconds();
        for (int i = 5; i >= 0; i--, ms >>= 8)
            bits[i] = (byte)ms;
        var value = new UInt128(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bits), System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bits[8..]));
        Span<char> text = stackalloc char[26];
        for (int i = 25; i >= 0; i--, value >>= 5)
            text[i] = Crockford[(int)(value & 31)];
        return new string(text);
    }
}
