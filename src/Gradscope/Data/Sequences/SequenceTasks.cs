namespace Gradscope.Data.Sequences;

/// <summary>Creates the built-in sequence tasks by name.</summary>
public static class SequenceTasks
{
    /// <summary>The accepted names, as shown in error messages and help.</summary>
    public const string ValidNames = "adding, copy, temporal-order";

    /// <summary>The task called <paramref name="name"/> (case-insensitive) at time lag <paramref name="length"/>.</summary>
    /// <exception cref="GradscopeException">The name is unknown or the length is out of range for the task.</exception>
    public static ISequenceTask Create(string name, int length) =>
        (name ?? string.Empty).Trim().ToLowerInvariant() switch
        {
            "adding" => new AddingProblem(length),
            "copy" => new CopyTask(length),
            "temporal-order" or "temporal" => new TemporalOrder(length),
            _ => throw new GradscopeException($"Unknown sequence task '{name}'. Valid tasks: {ValidNames}."),
        };
}
