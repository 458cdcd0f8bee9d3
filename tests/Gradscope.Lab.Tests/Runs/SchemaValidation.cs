using System.Text.Json;
using Json.Schema;

namespace Gradscope.Lab.Tests.Runs;

/// <summary>Validates JSON text against one of the repository's schema files (docs/schemas).</summary>
internal static class SchemaValidation
{
    private static readonly Dictionary<string, JsonSchema> Schemas = [];

    public static IReadOnlyList<string> Errors(string schemaFile, string json)
    {
        var schema = Load(schemaFile);
        using var doc = JsonDocument.Parse(json);
        var result = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = new List<string>();
        if (result.IsValid)
            return errors;
        foreach (var detail in result.Details ?? [])
        {
            foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
                errors.Add($"{detail.InstanceLocation}: {keyword}: {message}");
        }

        if (errors.Count == 0)
            errors.Add("invalid (no detail)");
        return errors;
    }

    public static string SchemaText(string schemaFile) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", schemaFile));

    private static JsonSchema Load(string schemaFile)
    {
        lock (Schemas)
        {
            if (!Schemas.TryGetValue(schemaFile, out var schema))
            {
                schema = JsonSchema.FromText(SchemaText(schemaFile));
                Schemas[schemaFile] = schema;
            }

            return schema;
        }
    }
}
