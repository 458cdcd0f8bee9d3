using Npgsql;
using NpgsqlTypes;

namespace Gradscope.Lab.Store.Dialects;

/// <summary>
/// Step rows into PostgreSQL by binary COPY, the fastest way in: the rows stream to the server as
/// they are added, inside the caller's transaction, and <see cref="Complete"/> ends the COPY. A
/// COPY holds the connection, so it starts at the first row and must end before any other statement.
/// </summary>
internal sealed class PostgresStepSink(NpgsqlConnection connection, string runId) : IStepSink
{
    private const string Copy = "COPY steps (run_id, idx, step, loss, learning_rate, wall_seconds, stats) FROM STDIN (FORMAT BINARY)";

    private NpgsqlBinaryImporter? _importer;

    public void Insert(int index, int stepNumber, double loss, double learningRate, double wallSeconds, ReadOnlySpan<byte> stats)
    {
        _importer ??= connection.BeginBinaryImport(Copy);
        _importer.StartRow();
        _importer.Write(runId, NpgsqlDbType.Text);
        _importer.Write(index, NpgsqlDbType.Integer);
        _importer.Write(stepNumber, NpgsqlDbType.Integer);
        WriteReal(loss);
        WriteReal(learningRate);
        WriteReal(wallSeconds);
        _importer.Write(stats.ToArray(), NpgsqlDbType.Bytea);
    }

    public void Complete()
    {
        if (_importer is null)
            return;
        _importer.Complete();
        _importer.Dispose();
        _importer = null;
    }

    // Not completed: the COPY is cancelled and the transaction around it fails.
    public void Dispose() => _importer?.Dispose();

    // NaN is stored as NULL, as everywhere else in the store.
    private void WriteReal(double value)
    {
        if (double.IsNaN(value))
            _importer!.WriteNull();
        else
            _importer!.Write(value, NpgsqlDbType.Double);
    }
}
