using System.Data.Common;
using Gradscope.Lab.Store;
using Gradscope.Lab.Store.Dialects;

namespace Gradscope.Server.Hosting;

/// <summary>
/// The server's access to the run store, a SQLite file or a PostgreSQL database. A
/// <see cref="RunStore"/> is not thread-safe, so the one the server keeps for run summaries is used
/// under a lock; bulk reads (steps, histograms, the live stream) take pooled read-only connections
/// of their own, which WAL (SQLite) and MVCC (PostgreSQL) let read while any process writes.
/// </summary>
internal sealed class StoreGate : IDisposable
{
    private readonly RunStore _store;
    private readonly Lock _lock = new();
    private readonly StoreDialect _dialect;

    public StoreGate(string path)
    {
        Location = StoreLocation.Parse(path);
        _dialect = StoreDialect.For(Location.Kind);
        _store = RunStore.Open(Location);
    }

    /// <summary>Where the store lives.</summary>
    public StoreLocation Location { get; }

    /// <summary>The store as the dashboard shows it: the file's full path, or the PostgreSQL URL without its password.</summary>
    public string Display => Location.IsPostgres ? Location.Display : System.IO.Path.GetFullPath(Location.Display);

    /// <summary>Decoded step statistics (256 MB at most), shared by every request.</summary>
    public Steps.StepCache Steps { get; } = new(256L << 20);

    /// <summary>Runs <paramref name="read"/> on the shared store, one request at a time.</summary>
    public T Use<T>(Func<RunStore, T> read)
    {
        lock (_lock)
            return read(_store);
    }

    /// <summary>An open read-only connection (from the pool); dispose it to give it back.</summary>
    /// <exception cref="StoreException">The store cannot be read.</exception>
    public DbConnection OpenReader() => _dialect.ConnectReader(Location);

    /// <summary>The one run whose id starts with <paramref name="prefix"/>, or a 400/404 problem.</summary>
    public RunSummary Resolve(string prefix)
    {
        string trimmed = prefix.Trim();
        if (trimmed.Length == 0 || trimmed.Length > Ulid.Length || !trimmed.All(Ulid.IsIdCharacter))
            throw Api.ApiProblem.BadRequest($"'{prefix}' is not a run id: ids are {Ulid.Length} characters of 0-9 and A-Z (no I, L, O, U); any unique prefix works.");
        return Use(store =>
        {
            var ids = store.MatchIds(trimmed);
            if (ids.Count == 0)
                throw Api.ApiProblem.NotFound($"no run has an id starting with '{trimmed}'.");
            if (ids.Count > 1)
                throw Api.ApiProblem.BadRequest($"run id prefix '{trimmed}' is ambiguous: it matches {ids.Count} runs ({string.Join(", ", ids.Take(5))}{(ids.Count > 5 ? ", ..." : "")}); give more characters.");
            return store.Find(ids[0]) ?? throw Api.ApiProblem.NotFound($"run '{ids[0]}' was deleted.");
        });
    }

    public void Dispose()
    {
        _store.Dispose();
        // Close this store's idle pooled readers, so the file can be moved or deleted once the server stops.
        _dialect.ClearPool(Location);
    }
}
