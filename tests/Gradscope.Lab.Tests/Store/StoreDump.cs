using System.Data.Common;
using System.Globalization;
using Gradscope.Lab.Store;

namespace Gradscope.Lab.Tests.Store;

/// <summary>
/// Every row of a store's data tables as text, column by column with BLOBs in hex and doubles in
/// round-trip form, sorted ordinally: two stores hold the same bytes when their dumps are equal,
/// whichever database each is.
/// </summary>
internal static class StoreDump
{
    private static readonly string[] Tables = ["runs", "run_tags", "steps", "histograms", "epochs", "sweeps", "sweep_trials", "trial_attempts"];

    public static List<string> Of(string store)
    {
        var lines = new List<string>();
        using var connection = RunStore.Connect(store);
        foreach (string table in Tables)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                lines.Add(Row(table, reader));
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    public static void AssertSame(List<string> expected, List<string> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.Equal(expected[i], actual[i]);
    }

    private static string Row(string table, DbDataReader reader)
    {
        var columns = new List<string>();
        for (int c = 0; c < reader.FieldCount; c++)
            columns.Add(reader.GetName(c) + "=" + Text(reader.GetValue(c)));
        columns.Sort(StringComparer.Ordinal);
        return table + "|" + string.Join("|", columns);
    }

    private static string Text(object value) => value switch
    {
        DBNull => "NULL",
        byte[] bytes => "x" + Convert.ToHexString(bytes),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
        int or long or short => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        _ => "'" + Convert.ToString(value, CultureInfo.InvariantCulture) + "'",
    };
}
