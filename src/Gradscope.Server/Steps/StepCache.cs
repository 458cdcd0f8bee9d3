using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Gradscope.Diagnostics;
using Gradscope.Lab.Store;

namespace Gradscope.Server.Steps;

/// <summary>
/// Decoded step statistics, one series per (run, statistic) with every layer, kept in memory so a
/// page that pans and zooms over a 10,000-step run does not re-read 90 MB of rows per request.
/// Each series is read once with <c>substr()</c> (only its statistic's bytes), then extended by
/// the rows recorded since (a live run grows; rows are appended by index and never rewritten).
/// The least recently used series are dropped beyond <c>maxBytes</c>.
/// </summary>
internal sealed class StepCache(long maxBytes)
{
    private readonly Dictionary<(string RunId, LayerStat Stat), Series> _series = [];
    private readonly Lock _lock = new();
    private long _clock;

    /// <summary>Statistic <paramref name="stat"/> of every layer of run <paramref name="runId"/> as recorded now.</summary>
    public SeriesView Get(DbConnection connection, string runId, int layers, LayerStat stat)
    {
        Series series;
        lock (_lock)
        {
            if (!_series.TryGetValue((runId, stat), out series!))
                _series[(runId, stat)] = series = new Series(layers);
            series.LastUsed = ++_clock;
        }

        SeriesView view;
        lock (series)
        {
            series.Extend(connection, runId, stat);
            view = series.View();
        }

        Evict();
        return view;
    }

    private void Evict()
    {
        lock (_lock)
        {
            long total = _series.Values.Sum(s => s.Bytes);
            while (total > maxBytes && _series.Count > 1)
            {
                var oldest = _series.MinBy(p => p.Value.LastUsed);
                total -= oldest.Value.Bytes;
                _series.Remove(oldest.Key);
            }
        }
    }

    private sealed class Series(int layers)
    {
        private long[] _steps = new long[64];
        private double[] _loss = new double[64];
        private double[] _rate = new double[64];
        private double[] _values = new double[64 * layers];
        private int _count;

        public long LastUsed { get; set; }

        public long Bytes => (_steps.Length * 24L) + (_values.Length * 8L);

        public SeriesView View() => new(_steps, _loss, _rate, _values, _count, layers);

        public void Extend(DbConnection connection, string runId, LayerStat stat)
        {
            using var command = connection.CreateCommand();
            // substr on a BLOB (SQLite) or bytea (PostgreSQL) counts bytes from 1; the statistic's slice is every layer's value.
            command.CommandText = $"SELECT step, loss, learning_rate, substr(stats, {((long)stat * layers * sizeof(double)) + 1}, {layers * sizeof(double)}) FROM steps WHERE run_id = @id AND idx >= @from ORDER BY idx";
            RunStore.AddParameter(command, "@id", runId);
            RunStore.AddParameter(command, "@from", _count);
            using var reader = command.ExecuteReader();
            while (reader.Read())
                Append(reader);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Append(DbDataReader reader)
        {
            if (_count == _steps.Length)
                Grow();
            // PostgreSQL's step is an int, SQLite's a long.
            _steps[_count] = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
            _loss[_count] = reader.IsDBNull(1) ? double.NaN : reader.GetDouble(1);
            _rate[_count] = reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2);
            // GetValue, not GetBytes: Microsoft.Data.Sqlite's GetBytes crashed the process on a substr() column.
            byte[] slice = reader.IsDBNull(3) ? [] : (byte[])reader.GetValue(3);
            var row = _values.AsSpan(_count * layers, layers);
            for (int l = 0; l < layers; l++)
                row[l] = (l + 1) * sizeof(double) <= slice.Length ? BinaryPrimitives.ReadDoubleLittleEndian(slice.AsSpan(l * sizeof(double))) : double.NaN;
            _count++;
        }

        private void Grow()
        {
            // New arrays, so views handed out earlier keep reading the old ones safely.
            int capacity = _steps.Length * 2;
            _steps = Resize(_steps, capacity);
            _loss = Resize(_loss, capacity);
            _rate = Resize(_rate, capacity);
            _values = Resize(_values, capacity * layers);
        }

        private static T[] Resize<T>(T[] array, int length)
        {
            var bigger = new T[length];
            array.CopyTo(bigger, 0);
            return bigger;
        }
    }
}

/// <summary>A consistent snapshot of a cached series: the first <c>Count</c> rows, <c>Values[row * Layers + layer]</c>.</summary>
internal readonly record struct SeriesView(long[] Steps, double[] Loss, double[] Rate, double[] Values, int Count, int Layers);
