using System.Text.Json;
using Gradscope.Cli.Output;
using Gradscope.Serialization.Safetensors;

namespace Gradscope.Cli.Tests.Fuzz;

/// <summary>
/// The promises a command keeps for any file: never an internal error; exit 0 with a correct result
/// or exit 1 with one line on stderr naming the file; on exit 1 nothing written. Exit 2 (bad usage)
/// is never right: the options are fixed and valid, and a file's content is data, not usage.
/// </summary>
internal static class FuzzChecks
{
    // A spec may nest residual blocks as deep as its reader allows; the run description around it in
    // train's JSON adds a few levels more.
    private static readonly JsonDocumentOptions DeepJson = new() { MaxDepth = 256 };

    public static (FuzzProblemKind Kind, string Problem) Check(FuzzRun run)
    {
        if (run.Err.Contains("internal error", StringComparison.Ordinal))
            return (FuzzProblemKind.InternalError, "internal error");
        string? problem = run.Exit switch
        {
            0 => CheckSuccess(run),
            1 => CheckFailure(run),
            _ => $"exit code {run.Exit}",
        };
        if (problem is null && run.Unchanged && run.Exit != 0)
            problem = "the unchanged seed file was refused";
        return problem is null ? (FuzzProblemKind.None, "") : (FuzzProblemKind.Violation, problem);
    }

    private static string? CheckFailure(FuzzRun run)
    {
        if (Leftovers(run) is { } leftover)
            return $"exit 1 left output behind: {leftover}";
        if (run.Command.Output == FuzzOutput.Diagnose && run.Err.Length == 0)
            return DiagnosedFailure(run.Out);
        string error = run.Err.TrimEnd('\n', '\r');
        if (error.Contains('\n', StringComparison.Ordinal))
            return "the error is more than one line";
        if (!error.StartsWith("error: ", StringComparison.Ordinal))
            return "stderr does not start with 'error: '";
        if (NamesFile(error, run.File) || AcceptedWithoutName(run, error))
            return null;
        return "the message does not name the file";
    }

    private static string? CheckSuccess(FuzzRun run)
    {
        if (run.Err.Length > 0)
            return "exit 0 with something on stderr";
        try
        {
            using var doc = JsonDocument.Parse(run.Out, DeepJson);
            return run.Command.Output switch
            {
                FuzzOutput.Train => CheckTrain(doc.RootElement, run.Command.Save!),
                FuzzOutput.Inspect => CheckInspect(doc.RootElement),
                FuzzOutput.Spec => doc.RootElement.GetProperty("format").GetString() == "gradscope.run" ? null : "--print-spec printed no run description",
                _ => null,
            };
        }
        catch (JsonException ex)
        {
            return $"exit 0 but stdout is not JSON: {ex.Message}";
        }
    }

    private static string? CheckTrain(JsonElement result, string save)
    {
        if (result.GetProperty("status").GetString() != "completed")
            return $"exit 0 with status {result.GetProperty("status")}";
        foreach (var split in result.GetProperty("results").EnumerateArray())
        {
            var loss = split.GetProperty("loss");
            if (loss.ValueKind != JsonValueKind.Null && !double.IsFinite(loss.GetDouble()))
                return $"exit 0 with loss {loss}";
        }

        if (!File.Exists(save))
            return "exit 0 but the model file was not written";
        try
        {
            _ = SafetensorsFile.Read(save);
            return null;
        }
        catch (GradscopeException ex)
        {
            return $"exit 0 but the written model does not read back: {ex.Message}";
        }
    }

    private static string? CheckInspect(JsonElement result)
    {
        var loss = result.GetProperty("loss");
        if (loss.ValueKind is not (JsonValueKind.Number or JsonValueKind.Null))
            return $"inspect printed loss {loss}";
        return result.GetProperty("layers").GetArrayLength() > 0 ? null : "inspect printed no layers";
    }

    // diagnose exits 1 with its report on stdout when it finds an error-severity problem.
    private static string? DiagnosedFailure(string output)
    {
        try
        {
            using var doc = JsonDocument.Parse(output, DeepJson);
            return null;
        }
        catch (JsonException)
        {
            return "diagnose exit 1 with no error and no JSON report";
        }
    }

    private static string? Leftovers(FuzzRun run)
    {
        foreach (string path in Directory.EnumerateFileSystemEntries(run.Dir))
        {
            string name = Path.GetFileName(path);
            if (path != run.File && !IsPartner(run.Case.Target, name))
                return name;
        }

        return null;
    }

    private static bool IsPartner(FuzzTarget target, string name)
    {
        foreach (var (partner, _) in target.Partners)
        {
            if (partner == name)
                return true;
        }

        return false;
    }

    private static bool NamesFile(string error, string file) =>
        error.Contains(file, StringComparison.Ordinal) || error.Contains(Path.GetFileName(file), StringComparison.Ordinal);

    // A spec asks for a run: a valid one may be too large for the limit or diverge, and a run
    // description's data may be missing or bad, which the message then says of that file.
    private static bool AcceptedWithoutName(FuzzRun run, string error)
    {
        if (run.Case.Target.Kind != FuzzFileKind.Spec)
            return false;
        return error.StartsWith("error: this run needs about ", StringComparison.Ordinal)
            || error.StartsWith("error: Training stopped: the loss became ", StringComparison.Ordinal)
            || (DataSource(run.File) is { Length: > 0 } data && error.Contains(ErrorText.OneLine(data), StringComparison.Ordinal));
    }

    // The data file a run description names (its "data.source"), when it still parses.
    private static string? DataSource(string file)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return doc.RootElement.GetProperty("data").GetProperty("source").GetString();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }
}
