using System.Data.Common;
using System.Text;
using Gradscope.Lab.Store.Dialects;

namespace Gradscope.Lab.Store.Copy;

/// <summary>
/// Copies rows of one table from a source connection to a target connection, column for column by
/// name. Both stores are migrated to the same schema, so every column the source has the target
/// has too; values go through as the source's driver reads them (SQLite's long into PostgreSQL's
/// integer is an assignment cast, bytea and BLOB are both byte arrays, NULL stays NULL). Rows
/// stream from a reader, so memory holds one row at a time.
/// </summary>
internal sealed class RowCopier(DbConnection source, DbConnection target, StoreDialect targetDialect)
{
    /// <summary>Bytes of row data copied so far (BLOBs and text at their length, numbers at 8).</summary>
    public long Bytes { get; private set; }

    /// <summary>Copies the rows of <paramref name="table"/> that <paramref name="where"/> selects; returns how many it wrote.</summary>
    /// <param name="table">The table, the same in both stores.</param>
    /// <param name="where">A condition on source rows with <c>@key</c> for <paramref name="key"/>.</param>
    /// <param name="key">The value of <c>@key</c>.</param>
    /// <param name="nullUnless">Sets a column NULL when the predicate says its value may not be kept (a trial's run the target lacks).</param>
    /// <param name="upsert">When set, a row the target already has (same key) is updated rather than refused, where the target's row is older: the key columns and the condition that says so.</param>
    public int Copy(string table, string where, object key, Func<string, object, bool>? nullUnless = null, Upsert? upsert = null)
    {
        using var select = source.CreateCommand();
        select.CommandText = $"SELECT * FROM {table} WHERE {where}";
        RunStore.AddParameter(select, "@key", key);
        using var reader = select.ExecuteReader();
        DbCommand? insert = null;
        int rows = 0;
        try
        {
            while (reader.Read())
            {
                insert ??= Insert(table, reader, upsert);
                long bytes = 0;
                for (int c = 0; c < reader.FieldCount; c++)
                {
                    object value = reader.GetValue(c);
                    if (nullUnless is not null && value is not DBNull && !nullUnless(reader.GetName(c), value))
                        value = DBNull.Value;
                    insert.Parameters[c].Value = value;
                    bytes += Size(value);
                }

                // An upsert whose target row is as new changes nothing and counts nothing.
                if (insert.ExecuteNonQuery() > 0)
                    (rows, Bytes) = (rows + 1, Bytes + bytes);
            }
        }
        finally
        {
            insert?.Dispose();
        }

        return rows;
    }

    /// <summary>Copies run <paramref name="runId"/>'s step rows in index order through the target's fast path (PostgreSQL: binary COPY); returns how many.</summary>
    public int CopySteps(string runId, CancellationToken token)
    {
        using var select = source.CreateCommand();
        select.CommandText = "SELECT idx, step, loss, learning_rate, wall_seconds, stats FROM steps WHERE run_id = @id ORDER BY idx";
        RunStore.AddParameter(select, "@id", runId);
        using var reader = select.ExecuteReader();
        using var sink = targetDialect.StepSink(target, runId);
        int rows = 0;
        while (reader.Read())
        {
            var stats = (byte[])reader.GetValue(5);
            // NULL (how the store keeps NaN) reads as NaN and is written back as NULL.
            sink.Insert(RunStore.Int(reader, 0), RunStore.Int(reader, 1), RunStore.Real(reader, 2), RunStore.Real(reader, 3), RunStore.Real(reader, 4), stats);
            Bytes += stats.Length + (5 * sizeof(double));
            rows++;
            // A huge run is one transaction: Ctrl-C abandons it whole (rolled back) rather than waiting.
            if ((rows & 4095) == 0)
                token.ThrowIfCancellationRequested();
        }

        sink.Complete();
        return rows;
    }

    private DbCommand Insert(string table, DbDataReader reader, Upsert? upsert)
    {
        var columns = new StringBuilder();
        var values = new StringBuilder();
        var updates = new StringBuilder();
        var insert = target.CreateCommand();
        for (int c = 0; c < reader.FieldCount; c++)
        {
            string separator = c == 0 ? string.Empty : ", ";
            string name = reader.GetName(c);
            columns.Append(separator).Append(name);
            values.Append(separator).Append("@p").Append(c);
            RunStore.AddParameter(insert, "@p" + c, null);
            if (upsert is not null && Array.IndexOf(upsert.Keys, name) < 0)
                updates.Append(updates.Length == 0 ? string.Empty : ", ").Append(name).Append(" = excluded.").Append(name);
        }

        insert.CommandText = $"INSERT INTO {table} ({columns}) VALUES ({values})";
        if (upsert is not null)
            insert.CommandText += $" ON CONFLICT ({string.Join(", ", upsert.Keys)}) DO UPDATE SET {updates} WHERE {upsert.Newer}";
        return insert;
    }

    private static long Size(object value) => value switch
    {
        byte[] bytes => bytes.Length,
        string text => text.Length,
        DBNull => 0,
        _ => sizeof(double),
    };
}

/// <summary>How a copied row replaces the target's row with the same key.</summary>
/// <param name="Keys">The primary key's columns.</param>
/// <param name="Newer">SQL that is true when the copied row (<c>excluded</c>) is newer than the target's (the table's name).</param>
internal sealed record Upsert(string[] Keys, string Newer);
