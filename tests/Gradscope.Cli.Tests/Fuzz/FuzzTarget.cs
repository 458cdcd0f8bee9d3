using CsCheck;

namespace Gradscope.Cli.Tests.Fuzz;

/// <summary>What a fuzzed file is to the command that reads it; decides which outcomes besides "names the file" are correct.</summary>
internal enum FuzzFileKind
{
    /// <summary>A data or model file: every refusal names it.</summary>
    Data,

    /// <summary>
    /// A model spec or run description: it asks for a network and a run, so besides refusals that
    /// name it, a valid file may ask for more memory than the limit ("this run needs about ...", exit
    /// 1), make training diverge (exit 1), or, for a run description, name a data file that is
    /// missing or bad (the message names that file).
    /// </summary>
    Spec,
}

/// <summary>The command's result on exit 0 that the runner checks.</summary>
internal enum FuzzOutput
{
    /// <summary><c>train --json --save F</c>: completed, finite or null losses, F a readable model file.</summary>
    Train,

    /// <summary><c>inspect --json</c>: a loss and one entry per layer.</summary>
    Inspect,

    /// <summary><c>diagnose --json</c>: findings; exit 1 with nothing on stderr is a diagnosed failure.</summary>
    Diagnose,

    /// <summary><c>train --print-spec</c>: the run description, as JSON.</summary>
    Spec,
}

/// <summary>
/// One seed file and the command that reads it: the file's name in a case's folder, its unchanged
/// partner files, the mutations that fit its format and the arguments of the command.
/// </summary>
/// <param name="Name">Names the target in reports.</param>
/// <param name="FileName">The mutated file's name in the case folder (its extension picks the loader).</param>
/// <param name="Seed">The valid file's bytes.</param>
/// <param name="Mutations">One mutation that fits the format; a case applies one to three.</param>
/// <param name="Command">The arguments, given the case folder, the mutated file's path and the case's variant number.</param>
/// <param name="Weight">Share of the inputs this target gets.</param>
internal sealed record FuzzTarget(
    string Name, string FileName, byte[] Seed, Gen<Mutation> Mutations, Func<string, string, int, FuzzCommand> Command, int Weight)
{
    public FuzzFileKind Kind { get; init; } = FuzzFileKind.Data;

    /// <summary>Files written unchanged beside the mutated one (the other half of an IDX pair).</summary>
    public IReadOnlyList<(string Name, byte[] Bytes)> Partners { get; init; } = [];

    /// <summary>Cases of this target: one to three mutations and a variant number that some commands use to vary the command.</summary>
    public Gen<FuzzCase> Cases => Gen.Select(MutationGens.Several(Mutations), Gen.Int[0, 99], (mutations, variant) => new FuzzCase(this, mutations, variant));
}

/// <summary>A command line and what it writes.</summary>
/// <param name="Args">The arguments of <c>gradscope</c>.</param>
/// <param name="Output">How the result on exit 0 is checked.</param>
/// <param name="Save">The model file the command writes with <c>--save</c>, or null.</param>
internal sealed record FuzzCommand(string[] Args, FuzzOutput Output, string? Save)
{
    /// <summary>The data the saved model was trained on, to <c>inspect</c> it with afterwards; null when inspect cannot name it.</summary>
    public string? ReadBackData { get; init; }
}

/// <summary>One fuzzer input: mutations of a target's seed, replayable from its printed form.</summary>
internal sealed record FuzzCase(FuzzTarget Target, Mutation[] Mutations, int Variant)
{
    public byte[] Apply()
    {
        byte[] bytes = Target.Seed;
        foreach (var mutation in Mutations)
            bytes = mutation.Apply(bytes);
        return bytes;
    }

    public override string ToString() => $"{Target.Name} variant {Variant}: {string.Join(" then ", (IEnumerable<Mutation>)Mutations)}";
}
