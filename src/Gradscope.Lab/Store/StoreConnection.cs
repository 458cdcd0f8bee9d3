using System.Data.Common;
using Gradscope.Lab.Store.Dialects;

namespace Gradscope.Lab.Store;

/// <summary>
/// One connection to a store that can outlive the connection: with a retry budget set, work that
/// fails because the database went away (PostgreSQL restarting, a dropped network) is tried again
/// on a new connection after a growing pause (0.25 s doubling to 8 s), until the budget is spent.
/// Each piece of work must be one transaction, so that running it again is safe. Not thread-safe.
/// </summary>
internal sealed class StoreConnection : IDisposable
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(8);

    private DbConnection? _connection;

    public StoreConnection(StoreLocation location, DbConnection connection)
    {
        Location = location;
        Dialect = StoreDialect.For(location.Kind);
        _connection = connection;
    }

    public StoreLocation Location { get; }

    public StoreDialect Dialect { get; }

    /// <summary>How long work keeps being retried after transient failures; zero (the default) fails at once.</summary>
    public TimeSpan RetryBudget { get; set; }

    /// <summary>Told each time a transient failure is retried (what failed, the pause before the next try).</summary>
    public Action<string>? OnRetry { get; set; }

    /// <summary>The open connection (reconnected when the last one was lost).</summary>
    public DbConnection Current => _connection ??= Dialect.Connect(Location, StoreDialect.BusyTimeoutMs);

    /// <summary>Runs <paramref name="work"/>, retrying transient failures within the budget; other database errors become <see cref="StoreException"/>s.</summary>
    public T Run<T>(Func<DbConnection, T> work)
    {
        var deadline = DateTime.UtcNow + RetryBudget;
        var pause = FirstPause;
        while (true)
        {
            try
            {
                return work(Current);
            }
            catch (Exception ex) when (Retryable(ex) && DateTime.UtcNow + pause < deadline)
            {
                Drop();
                OnRetry?.Invoke($"warning: run store '{Location.Display}' unreachable ({Reason(ex)}); retrying in {pause.TotalSeconds:0.##} s");
                Thread.Sleep(pause);
                pause = pause * 2 > LongestPause ? LongestPause : pause * 2;
            }
            catch (Exception ex) when (Dialect.Explain(ex, Location.Display) is { } explained)
            {
                throw explained;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="open"/> (a new connection, or opening a store, which also migrates it),
    /// retrying transient failures within <paramref name="budget"/> as <see cref="Run{T}"/> does:
    /// a worker that starts a trial while the database restarts waits for it.
    /// </summary>
    public static T Retrying<T>(StoreLocation location, TimeSpan budget, Action<string>? onRetry, Func<T> open)
    {
        var dialect = StoreDialect.For(location.Kind);
        var deadline = DateTime.UtcNow + budget;
        var pause = FirstPause;
        while (true)
        {
            try
            {
                return open();
            }
            catch (Exception ex) when ((dialect.IsTransient(ex) || (ex is StoreException { InnerException: { } inner } && dialect.IsTransient(inner)))
                                       && DateTime.UtcNow + pause < deadline)
            {
                onRetry?.Invoke($"warning: run store '{location.Display}' unreachable ({Reason(ex)}); retrying in {pause.TotalSeconds:0.##} s");
                Thread.Sleep(pause);
                pause = pause * 2 > LongestPause ? LongestPause : pause * 2;
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> as <see cref="Run{T}"/> does.</summary>
    public void Run(Action<DbConnection> work) => Run(connection =>
    {
        work(connection);
        return true;
    });

    /// <summary>Closes the connection; the next work opens a new one.</summary>
    public void Drop()
    {
        _connection?.Dispose();
        _connection = null;
    }

    public void Dispose() => Drop();

    // A lost connection shows as the database's transient error, or as a StoreException from a
    // reconnect that failed the same way, or as Npgsql's "connection is broken/not open".
    private bool Retryable(Exception ex) =>
        Dialect.IsTransient(ex) || (ex is StoreException { InnerException: { } inner } && Dialect.IsTransient(inner))
        || (Dialect.Kind == StoreKind.Postgres && ex is InvalidOperationException && _connection?.State != System.Data.ConnectionState.Open);

    private static string Reason(Exception ex) => (ex is StoreException { InnerException: { } inner } ? inner : ex).Message.TrimEnd('.');
}
