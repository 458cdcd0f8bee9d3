using Gradscope.Lab.Store;

namespace Gradscope.Cli.Commands.Runs;

/// <summary>Opening the store a <c>runs</c> command reads, and turning an id or unique prefix into a run id.</summary>
internal static class RunIds
{
    /// <summary>Opens the store; a store that does not exist yet is an error here (nothing to read), not created.</summary>
    public static RunStore Open(string? option)
    {
        string path = RunStore.ResolvePath(option);
        if (!StoreLocation.IsPostgresText(path) && !File.Exists(path))
            throw new GradscopeException($"run store '{path}' does not exist: no run has been recorded there (name another with --store or {RunStore.EnvironmentVariable}).");
        return RunStore.Open(path);
    }

    /// <summary>The one run whose id starts with <paramref name="prefix"/>; bad usage (exit code 2) when none or several do.</summary>
    public static string Resolve(RunStore store, string prefix)
    {
        string trimmed = prefix.Trim();
        if (trimmed.Length == 0 || !trimmed.All(Ulid.IsIdCharacter))
            throw new UsageException($"'{prefix}' is not a run id: ids are {Ulid.Length} characters of 0-9 and A-Z (no I, L, O, U); any unique prefix works.");
        var ids = store.MatchIds(trimmed);
        if (ids.Count == 0)
            throw new UsageException($"no run in '{store.Path}' has an id starting with '{trimmed}' (see 'gradscope runs list').");
        if (ids.Count > 1)
        {
            string shown = string.Join(", ", ids.Take(10)) + (ids.Count > 10 ? $", ... ({ids.Count} in all)" : string.Empty);
            throw new UsageException($"run id prefix '{trimmed}' is ambiguous: it matches {shown}; give more characters.");
        }

        return ids[0];
    }
}
