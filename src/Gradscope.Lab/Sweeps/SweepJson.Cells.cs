using System.Text.Json;
using Gradscope.Lab.Runs;

namespace Gradscope.Lab.Sweeps;

public static partial class SweepJson
{
    /// <summary>
    /// Writes a summary cell's measures, each as <c>{"mean", "std", "n"}</c> (non-finite as null):
    /// orders lost, first-to-last ratio, final loss, train and test accuracy. One writer for
    /// <c>sweep show --json</c> and the sweep report, so both name them alike.
    /// </summary>
    public static void WriteMeasures(Utf8JsonWriter w, SweepCellSummary cell)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(cell);
        WriteSpread(w, "orders_lost", cell.OrdersLost);
        WriteSpread(w, "first_to_last_ratio", cell.FirstToLastRatio);
        WriteSpread(w, "final_loss", cell.FinalLoss);
        WriteSpread(w, "train_accuracy", cell.TrainAccuracy);
        WriteSpread(w, "test_accuracy", cell.TestAccuracy);
    }

    private static void WriteSpread(Utf8JsonWriter w, string name, Spread spread)
    {
        w.WriteStartObject(name);
        JsonNumbers.Write(w, "mean", spread.Mean);
        JsonNumbers.Write(w, "std", spread.Std);
        w.WriteNumber("n", spread.Count);
        w.WriteEndObject();
    }
}
