using System.Security.Cryptography;
using System.Text;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Sweeps;

/// <summary>
/// One trial of a sweep: a point of its definition at one seed, as the run it describes.
/// </summary>
/// <param name="Index">Position in the expansion, from 0.</param>
/// <param name="Cell">The point's varying settings (<c>activation=tanh layers=2x32</c>): trials of one cell differ only in their seed.</param>
/// <param name="Seed">The training seed.</param>
/// <param name="Settings">Every setting of the trial, the seed last, as <c>train</c> options.</param>
/// <param name="Spec">The run it describes.</param>
/// <param name="Key">The hash of <paramref name="Spec"/>'s JSON (<see cref="KeyOf"/>): same key, same run.</param>
public sealed record SweepTrial(int Index, string Cell, int Seed, IReadOnlyList<SweepSetting> Settings, RunSpec Spec, string Key)
{
    /// <summary>The run's name in the store: the cell and the seed.</summary>
    public string RunName => Cell.Length == 0 ? $"seed={Seed}" : $"{Cell} seed={Seed}";

    /// <summary>The key of a run description: the first 16 hex digits of the SHA-256 of its JSON.</summary>
    public static string KeyOf(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(RunSpecJson.Write(spec)));
        return Convert.ToHexStringLower(hash, 0, 8);
    }

    /// <summary>The hash of a set of trial keys (order does not matter): what tells one grid from another.</summary>
    public static string GridHash(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var sorted = new List<string>(keys);
        sorted.Sort(StringComparer.Ordinal);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', sorted)));
        return Convert.ToHexStringLower(hash, 0, 16);
    }
}
