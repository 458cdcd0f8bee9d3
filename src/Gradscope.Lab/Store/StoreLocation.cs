using System.Globalization;
using Npgsql;

namespace Gradscope.Lab.Store;

/// <summary>The database a run store lives in.</summary>
public enum StoreKind
{
    /// <summary>A SQLite file on this machine.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database, shared by any number of machines.</summary>
    Postgres,
}

/// <summary>
/// Where a run store lives, parsed once from what <c>--store</c> or <c>GRADSCOPE_STORE</c> says: a
/// file path (SQLite), a <c>postgres://user@host[:port]/db</c> URL or an Npgsql connection string
/// (<c>Host=...;Database=...</c>). A password, from the URL, the connection string,
/// <c>PGPASSWORD</c> or <c>~/.pgpass</c>, is used but never shown: <see cref="Display"/> leaves it out.
/// </summary>
public sealed class StoreLocation
{
    // Query parameters of a postgres:// URL that mean something to Npgsql, and the keyword each becomes.
    private static readonly Dictionary<string, string> UrlParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
    };

    private StoreLocation(StoreKind kind, string target, string display)
    {
        Kind = kind;
        Target = target;
        Display = display;
    }

    /// <summary>SQLite or PostgreSQL.</summary>
    public StoreKind Kind { get; }

    /// <summary>The file path (SQLite) or the Npgsql connection string, password included when one was given.</summary>
    internal string Target { get; }

    /// <summary>What messages show: the file path, or <c>postgres://user@host:port/db</c> without a password.</summary>
    public string Display { get; }

    /// <summary>True for a PostgreSQL store.</summary>
    public bool IsPostgres => Kind == StoreKind.Postgres;

    /// <inheritdoc/>
    public override string ToString() => Display;

    /// <summary>
    /// True when this and <paramref name="other"/> name one store: the same file (after resolving
    /// relative paths and symbolic links), or the same database on the same server and port
    /// (whoever logs in).
    /// </summary>
    public bool IsSameStore(StoreLocation other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Kind != other.Kind)
            return false;
        if (Kind == StoreKind.Sqlite)
            return string.Equals(RealPath(Target), RealPath(other.Target), StringComparison.Ordinal);
        var mine = new NpgsqlConnectionStringBuilder(Target);
        var theirs = new NpgsqlConnectionStringBuilder(other.Target);
        return string.Equals(mine.Host, theirs.Host, StringComparison.OrdinalIgnoreCase) && mine.Port == theirs.Port
            && string.Equals(mine.Database ?? mine.Username, theirs.Database ?? theirs.Username, StringComparison.Ordinal);
    }

    private static string RealPath(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        try
        {
            return File.Exists(full) && File.ResolveLinkTarget(full, returnFinalTarget: true) is { } target ? target.FullName : full;
        }
        catch (IOException)
        {
            return full;
        }
    }

    /// <summary>True when <paramref name="text"/> names a PostgreSQL database rather than a file.</summary>
    public static bool IsPostgresText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.TrimStart();
        return trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || (trimmed.Contains('=', StringComparison.Ordinal) && trimmed.Contains("host", StringComparison.OrdinalIgnoreCase)
                && !trimmed.Contains('/', StringComparison.Ordinal));
    }

    /// <summary>Parses a store's name.</summary>
    /// <exception cref="StoreException">A PostgreSQL URL or connection string that cannot be read; the message never shows a password.</exception>
    public static StoreLocation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsPostgresText(text))
            return new StoreLocation(StoreKind.Sqlite, text, text);
        var builder = text.TrimStart().Contains("://", StringComparison.Ordinal) ? FromUrl(text.Trim()) : FromConnectionString(text);
        builder.ApplicationName ??= "gradscope";
        // A store write is a few statements; a worker that lost the server retries on its own.
        if (!text.Contains("timeout", StringComparison.OrdinalIgnoreCase))
            builder.Timeout = 10;
        return new StoreLocation(StoreKind.Postgres, builder.ConnectionString, DisplayOf(builder));
    }

    private static NpgsqlConnectionStringBuilder FromConnectionString(string text)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(text);
            if (string.IsNullOrWhiteSpace(builder.Host))
                throw new StoreException("PostgreSQL connection string names no Host: write Host=NAME;Database=DB;Username=USER (the password from PGPASSWORD or ~/.pgpass).");
            return builder;
        }
        catch (ArgumentException ex)
        {
            // Npgsql's message quotes the offending keyword, never a value.
            throw new StoreException($"not a PostgreSQL connection string ({ex.Message.TrimEnd('.')}); write postgres://user@host:5432/db or Host=...;Database=...;Username=....", ex);
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new StoreException($"'{Redact(text)}' is not a PostgreSQL URL: write postgres://user@host[:port]/database.");
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']') };
        if (uri.Port > 0)
            builder.Port = uri.Port;
        string database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Contains('/', StringComparison.Ordinal))
            throw new StoreException($"'{Redact(text)}' is not a PostgreSQL URL: the path after the host is one database name.");
        if (database.Length > 0)
            builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            string[] parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
                builder.Password = Uri.UnescapeDataString(parts[1]);
        }

        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            string key = Uri.UnescapeDataString(kv[0]);
            if (!UrlParameters.TryGetValue(key, out string? keyword))
                throw new StoreException($"PostgreSQL URL parameter '{key}' is not known: use {string.Join(", ", UrlParameters.Keys)}.");
            try
            {
                builder[keyword] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            }
            catch (ArgumentException ex)
            {
                throw new StoreException($"PostgreSQL URL parameter '{key}' has a value Npgsql cannot use ({ex.Message.TrimEnd('.')}).", ex);
            }
        }

        return builder;
    }

    private static string DisplayOf(NpgsqlConnectionStringBuilder builder)
    {
        string host = builder.Host!.Contains(':', StringComparison.Ordinal) && !builder.Host.Contains(',', StringComparison.Ordinal) ? $"[{builder.Host}]" : builder.Host;
        string user = string.IsNullOrEmpty(builder.Username) ? string.Empty : Uri.EscapeDataString(builder.Username) + "@";
        string database = string.IsNullOrEmpty(builder.Database) ? string.Empty : Uri.EscapeDataString(builder.Database);
        return string.Create(CultureInfo.InvariantCulture, $"postgres://{user}{host}:{builder.Port}/{database}");
    }

    // A URL with its password replaced, for messages about a URL that could not be parsed.
    private static string Redact(string text)
    {
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        int at = text.LastIndexOf('@');
        if (scheme < 0 || at < scheme)
            return text;
        int colon = text.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? string.Concat(text.AsSpan(0, colon + 1), "***", text.AsSpan(at)) : text;
    }
}
