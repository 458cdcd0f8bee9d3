using System.Security.Cryptography;
using System.Text;

namespace Gradscope.Server.Hosting;

/// <summary>
/// Who may use the API. Bound to a non-loopback address, every <c>/api/</c> request (reads too:
/// the runs are the user's data) must carry the token as header <c>X-Gradscope-Token</c> or cookie
/// <c>gradscope_token</c>; visiting any page with <c>?token=T</c> sets the cookie and redirects to
/// the same URL without it, so the token does not stay in the address bar or history. On any
/// address, a POST from another site's page (an <c>Origin</c> other than this server's) is refused,
/// and on loopback a request for a host name other than a loopback one (DNS rebinding) is refused.
/// </summary>
internal sealed class TokenGate(RequestDelegate next, DashboardState state)
{
    public const string Header = "X-Gradscope-Token";
    public const string Cookie = "gradscope_token";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (state.Options.Loopback && !DashboardOptions.IsLoopback(request.Host.Host))
        {
            await Api.ProblemMiddleware.Write(context, StatusCodes.Status403Forbidden, "Forbidden", $"this server answers only to loopback host names, not '{request.Host.Host}'.").ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsPost(request.Method) && request.Headers.Origin.ToString() is { Length: > 0 } origin && !SameOrigin(origin, request))
        {
            await Api.ProblemMiddleware.Write(context, StatusCodes.Status403Forbidden, "Forbidden", $"requests from another site ({origin}) cannot change anything here.").ConfigureAwait(false);
            return;
        }

        if (!state.Options.Loopback && await Gate(context).ConfigureAwait(false))
            return;
        await next(context).ConfigureAwait(false);
    }

    // True when the gate answered the request itself (a redirect or a 401).
    private async Task<bool> Gate(HttpContext context)
    {
        var request = context.Request;
        string path = request.Path.Value ?? "/";
        if (request.Query.TryGetValue("token", out var given) && HttpMethods.IsGet(request.Method) && !path.StartsWith("/api/", StringComparison.Ordinal))
        {
            if (!Matches(given.ToString()))
            {
                await Api.ProblemMiddleware.Write(context, StatusCodes.Status401Unauthorized, "Unauthorized", "the token in the address is wrong; use the one 'gradscope serve' printed.").ConfigureAwait(false);
                return true;
            }

            context.Response.Cookies.Append(Cookie, state.Options.Token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true });
            var rest = request.Query.Where(q => q.Key != "token").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}");
            string query = string.Join("&", rest);
            context.Response.Redirect(request.PathBase + path + (query.Length > 0 ? "?" + query : ""));
            return true;
        }

        if (!path.StartsWith("/api/", StringComparison.Ordinal) && path != "/api")
            return false;
        string? sent = request.Headers[Header].ToString() is { Length: > 0 } header ? header : request.Cookies[Cookie];
        if (sent is not null && Matches(sent))
            return false;
        await Api.ProblemMiddleware.Write(context, StatusCodes.Status401Unauthorized, "Unauthorized",
            $"this server is bound to {state.Options.Host}, not loopback: send the token 'gradscope serve' printed as header {Header}, or open the dashboard once with ?token=TOKEN.").ConfigureAwait(false);
        return true;
    }

    private bool Matches(string sent) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(state.Options.Token));

    private static bool SameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
