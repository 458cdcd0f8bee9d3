using Gradscope.Lab.Store;
using Microsoft.Data.Sqlite;

namespace Gradscope.Server.Hosting;

/// <summary>
/// The server's access to the run store. A <see cref="RunStore"/> is not thread-safe, so the one
/// the server keeps for run summaries is used under a lock; bulk reads (steps, histograms, the
/// live stream) take pooled read-only connections of their own, which WAL lets read while any
/// process writes.
/// </summary>
internal sealed class StoreGate : IDisposable
{
    private readonly RunStore _store;
    private readonly Lock _lock = new();
    private readonly string _readOnly;

    public StoreGate(string path)
    {
        Path = path;
        _store = RunStore.Open(path);
        _readOnly = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
    }

    public string Path { get; }

    /// <summary>Decoded step statistics (256 MB at most), shared by every request.</summary>
    public Steps.StepCache Steps { get; } = new(256L << 20);

    /// <summary>Runs <paramref name="read"/> on the shared store, one request at a time.</summary>
    public T Use<T>(Func<RunStore, T> read)
    {
        lock (_lock)
            return read(_store);
    }

    /// <summary>An open read-only connection (from the pool); dispose it to give it back.</summary>
    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readOnly);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout = 5000";
            command.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new StoreException($"cannot read the run store '{Path}' ({ex.Message.TrimEnd('.')}).", ex);
        }
    }

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
        using var pooled = new SqliteConnection(_readOnly);
        SqliteConnection.ClearPool(pooled);
    }
}
