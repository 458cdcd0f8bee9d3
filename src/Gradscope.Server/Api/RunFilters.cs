using System.Globalization;
using Gradscope.Lab.Runs;
using Gradscope.Lab.Store;

namespace Gradscope.Server.Api;

/// <summary>The filters of <c>GET /api/runs</c>: <c>status, tag, name, since, limit</c>, as <c>runs list</c> reads them.</summary>
/// <remarks><c>status</c> is a stored status or <c>paused</c> (a run this server trains, held); it is matched against the live status.</remarks>
internal sealed record RunFilters(string? Status, string[] Tags, string? Name, DateTimeOffset? Since, int Limit)
{
    public const int MaxLimit = 10_000;

    public static RunFilters From(IQueryCollection query)
    {
        string? status = null;
        if (query["status"].ToString() is { Length: > 0 } text)
        {
            string trimmed = text.Trim().ToLowerInvariant();
            if (trimmed != "paused" && (!Enum.TryParse<RunStatus>(trimmed, ignoreCase: true, out var parsed) || int.TryParse(text, out _)))
                throw ApiProblem.BadRequest($"status '{text}' is not a run status: use queued, running, paused, completed, failed, interrupted or diverged.");
            status = trimmed == "paused" ? trimmed : RunStore.StatusName(Enum.Parse<RunStatus>(trimmed, ignoreCase: true));
        }

        var tags = query["tag"].Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!).ToArray();
        string? name = query["name"].ToString() is { Length: > 0 } n ? n : null;
        return new RunFilters(status, tags, name, ParseSince(query["since"].ToString()), QueryNumbers.Int(query, "limit", 1000, 1, MaxLimit));
    }

    /// <summary>Whether <paramref name="summary"/>, whose live status is <paramref name="status"/>, passes every filter.</summary>
    public bool Matches(RunSummary summary, string status)
    {
        var run = summary.Record;
        return (Status is null || status == Status)
            && Tags.All(run.Tags.Contains)
            && (Name is null || (run.Name ?? string.Empty).Contains(Name, StringComparison.OrdinalIgnoreCase))
            && (Since is null || run.Started >= Since);
    }

    private static DateTimeOffset? ParseSince(string text)
    {
        if (text.Length == 0)
            return null;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time;
        throw ApiProblem.BadRequest($"since '{text}' is not a date: use YYYY-MM-DD (UTC) or an ISO-8601 time.");
    }
}
