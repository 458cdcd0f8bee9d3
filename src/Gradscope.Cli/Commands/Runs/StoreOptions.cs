using System.CommandLine;
using Gradscope.Lab.Store;

namespace Gradscope.Cli.Commands.Runs;

/// <summary><c>--store</c>, <c>--no-store</c>, <c>--name</c>, <c>--tag</c>: where a command records its runs and how it labels them.</summary>
internal sealed class StoreOptions
{
    public Option<string?> Store { get; } = StorePath();

    public Option<bool> NoStore { get; } = new("--no-store") { Description = "Do not record the run in the run store." };

    public Option<string?> Name { get; } = new("--name") { Description = "A name for the recorded run (shown by 'gradscope runs list')." };

    public Option<string[]> Tag { get; } = new("--tag") { Description = "A label for the recorded run; repeat for several (--tag baseline --tag sigmoid)." };

    public IEnumerable<Option> All => [Store, NoStore, Name, Tag];

    /// <summary>The store option of the <c>runs</c> commands, which read a store and always use one.</summary>
    public static Option<string?> StorePath() => new("--store")
    {
        Description = $"Run store: a SQLite file, or a PostgreSQL database (postgres://user@host[:port]/db or Host=...;Database=...; the password from PGPASSWORD or ~/.pgpass). " +
            $"Default: ${RunStore.EnvironmentVariable}, else {RunStore.DefaultFileName} in the working directory.",
    };

    /// <summary>Where and how to record, or a request that records nothing (<c>--no-store</c>).</summary>
    public StoreRequest Read(ParseResult parsed)
    {
        string? path = parsed.GetValue(Store);
        bool off = parsed.GetValue(NoStore);
        if (off && path is not null)
            throw new UsageException("--store and --no-store cannot be used together.");
        string? name = parsed.GetValue(Name);
        if (name is not null && name.Trim().Length == 0)
            throw new UsageException("--name must not be empty.");
        var tags = new List<string>();
        foreach (string tag in parsed.GetValue(Tag) ?? [])
        {
            if (tag.Trim().Length == 0 || tag.Contains('\n', StringComparison.Ordinal))
                throw new UsageException($"--tag '{tag}' is not a tag: use a non-empty word without line breaks.");
            if (!tags.Contains(tag))
                tags.Add(tag);
        }

        if (path is not null && path.Trim().Length == 0)
            throw new UsageException("--store must name a file or a PostgreSQL database.");
        return new StoreRequest(off ? null : RunStore.ResolvePath(path), name, tags);
    }
}

/// <summary>Where to record (null: not at all), and the labels.</summary>
internal sealed record StoreRequest(string? Path, string? Name, IReadOnlyList<string> Tags)
{
    public static StoreRequest Off { get; } = new(null, null, []);
}
