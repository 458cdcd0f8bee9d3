using System.Text.Json;
using Gradscope.Data.Catalog;
using Gradscope.Lab.Live;
using Gradscope.Lab.Runs;

namespace Gradscope.Server.Api;

/// <summary>
/// The body of <c>POST /api/runs</c>: a run description (run-spec v1), or one wrapped as
/// <c>{"spec": {...}, "name": "...", "tags": [...], "paused": bool}</c>; at most 1 MiB.
/// </summary>
internal static class RequestBodies
{
    public const int MaxBytes = 1 << 20;

    public static async Task<byte[]> ReadLimited(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes)
            throw TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                throw TooLarge();
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static (RunSpec Spec, HostedRunOptions Options) ParseRun(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw ApiProblem.BadRequest($"the request body is not JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw ApiProblem.BadRequest("the request body must be a JSON object: a run description, or {\"spec\": ..., \"name\", \"tags\", \"paused\"}.");
            if (!root.TryGetProperty("spec", out var spec))
                return (ReadSpec(root), new HostedRunOptions());
            // The wrapper's own keys first: a typo there is the likelier mistake.
            var options = Options(root);
            return (ReadSpec(spec), options);
        }
    }

    private static RunSpec ReadSpec(JsonElement element)
    {
        RunSpec spec;
        try
        {
            spec = RunSpecJson.Read(element, "run description");
        }
        catch (GradscopeException ex)
        {
            throw ApiProblem.BadRequest(ex.Message);
        }

        // A request must not make the server open files of its choosing (a shared link or another
        // page could name /etc/passwd as data); runs from the dashboard use the built-in sets.
        // Re-runs and remedies of stored runs keep their data: the store was written by its owner.
        if (!IsBuiltIn(spec.Data.Source))
            throw ApiProblem.BadRequest($"data '{spec.Data.Source}' is not a built-in data set; runs started from the dashboard use one of {string.Join(", ", DatasetCatalog.Names)} (train on your own files with 'gradscope train --store').");
        return spec;
    }

    private static bool IsBuiltIn(string source)
    {
        foreach (string name in DatasetCatalog.Names)
        {
            if (string.Equals(name, source, StringComparison.Ordinal))
                return true;
        }

        return false;
    }

    private static HostedRunOptions Options(JsonElement root)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is not ("spec" or "name" or "tags" or "paused"))
                throw ApiProblem.BadRequest($"unknown key '{property.Name}' beside \"spec\": use name, tags and paused.");
        }

        string? name = null;
        if (root.TryGetProperty("name", out var n) && n.ValueKind != JsonValueKind.Null)
        {
            name = n.ValueKind == JsonValueKind.String && n.GetString()!.Trim().Length > 0 ? n.GetString() : throw ApiProblem.BadRequest("\"name\" must be a non-empty string.");
        }

        var tags = new List<string>();
        if (root.TryGetProperty("tags", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            if (t.ValueKind != JsonValueKind.Array)
                throw ApiProblem.BadRequest("\"tags\" must be an array of strings.");
            foreach (var tag in t.EnumerateArray())
            {
                if (tag.ValueKind != JsonValueKind.String || tag.GetString()!.Trim().Length == 0 || tag.GetString()!.Contains('\n', StringComparison.Ordinal))
                    throw ApiProblem.BadRequest("\"tags\" must hold non-empty strings without line breaks.");
                tags.Add(tag.GetString()!);
            }
        }

        bool paused = root.TryGetProperty("paused", out var p) && p.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw ApiProblem.BadRequest("\"paused\" must be true or false."),
        };
        return new HostedRunOptions(name, tags, null, paused);
    }

    private static ApiProblem TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"the request body is over {MaxBytes / (1 << 20)} MiB; a run description is a few KB.");
}
