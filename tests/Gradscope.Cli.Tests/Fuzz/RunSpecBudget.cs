using System.Text.Json;

namespace Gradscope.Cli.Tests.Fuzz;

/// <summary>
/// How the fuzzer runs a run description. A valid one may ask for billions of steps (both
/// "epochs" and "max_steps" made huge), a correct but endless run; such a file is checked with
/// <c>--print-spec</c>, which reads and converts it but trains nothing.
/// </summary>
internal static class RunSpecBudget
{
    private const int MaxSteps = 50;

    public static FuzzCommand Command(string dir, string file, int variant)
    {
        if (Steps(file) > MaxSteps)
            return new FuzzCommand(["train", "--run-spec", file, "--print-spec"], FuzzOutput.Spec, null);
        string save = Path.Combine(dir, "out.safetensors");
        return new FuzzCommand(["train", "--run-spec", file, "--monitor", "off", "--json", "--save", save], FuzzOutput.Train, save);
    }

    // The steps the budget asks for on the 36-row seed table, or 0 when the file is not JSON with a budget of numbers.
    private static double Steps(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var budget = doc.RootElement.GetProperty("budget");
            double epochs = Number(budget, "epochs", 30);
            double batches = Math.Ceiling(FuzzSeeds.Rows / Math.Max(1, Number(budget, "batch_size", 64)));
            return Math.Min(Number(budget, "max_steps", double.PositiveInfinity), epochs * batches);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return 0;
        }
    }

    private static double Number(JsonElement budget, string key, double fallback) =>
        budget.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : fallback;
}
