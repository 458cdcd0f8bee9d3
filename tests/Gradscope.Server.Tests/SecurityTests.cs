using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gradscope.Server.Tests;

public sealed class SecurityTests
{
    [Theory]
    [InlineData("/../../etc/passwd")]
    [InlineData("/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/..%2f..%2fetc%2fpasswd")]
    [InlineData("/%2e%2e%2f%2e%2e%2fetc%2fpasswd")]
    [InlineData("/..\\..\\etc\\passwd")]
    [InlineData("/index.html/../../../etc/passwd")]
    [InlineData("/%252e%252e/etc/passwd")]
    public async Task PathTraversal_NeverServesOutsideTheFrontEnd(string path)
    {
        await using var harness = await ServerHarness.Start();
        var (status, body) = await RawGet(harness.Client.BaseAddress!, path);
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
        // Either a 4xx, or the app shell itself (an extension-less page route).
        Assert.True(status is >= 400 and < 500 || body.Contains("Gradscope", StringComparison.Ordinal), $"{path}: {status} {body}");
    }

    [Fact]
    public async Task Assets_IndexRoutesGzipEtag()
    {
        await using var harness = await ServerHarness.Start();
        using var index = await harness.Client.GetAsync("/");
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        string etag = index.Headers.ETag!.Tag;
        using var route = await harness.Client.GetAsync("/runs/01ABC?x=1");
        Assert.Equal(HttpStatusCode.OK, route.StatusCode);
        Assert.Equal(etag, route.Headers.ETag!.Tag);
        using var missing = await harness.Client.GetAsync("/nothing.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/index.html");
        conditional.Headers.IfNoneMatch.ParseAdd(etag);
        using var notModified = await harness.Client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        using var gzipped = new HttpRequestMessage(HttpMethod.Get, "/");
        gzipped.Headers.AcceptEncoding.ParseAdd("gzip");
        using var zipped = await harness.Client.SendAsync(gzipped);
        Assert.Contains("gzip", zipped.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Token_RequiredWhenBoundToWildcard_EvenThroughLoopback()
    {
        await using var harness = await ServerHarness.Start(bind: "0.0.0.0");
        Assert.True(harness.Server.TokenRequired);

        using var anonymous = await harness.Client.GetAsync("/api/runs");
        await ServerHarness.Problem(anonymous, 401);
        using var post = await harness.PostJson("/api/runs", "{}");
        await ServerHarness.Problem(post, 401);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        wrong.Headers.Add("X-Gradscope-Token", "guess");
        using var wrongResponse = await harness.Client.SendAsync(wrong);
        await ServerHarness.Problem(wrongResponse, 401);
        using var right = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        right.Headers.Add("X-Gradscope-Token", ServerHarness.Token);
        using var rightResponse = await harness.Client.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, rightResponse.StatusCode);
        var info = await harness.Client.SendAsync(WithToken("/api/info"));
        Assert.Contains("\"token_required\":true", await info.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_QueryParameterSetsCookieAndRedirectsWithoutIt()
    {
        await using var harness = await ServerHarness.Start(bind: "0.0.0.0");

        using var visit = await harness.Client.GetAsync($"/runs/abc?token={ServerHarness.Token}&x=1");

        Assert.Equal(HttpStatusCode.Redirect, visit.StatusCode);
        Assert.Equal("/runs/abc?x=1", visit.Headers.Location?.OriginalString);
        string cookie = visit.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith($"gradscope_token={ServerHarness.Token}", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        withCookie.Headers.Add("Cookie", $"gradscope_token={ServerHarness.Token}");
        using var response = await harness.Client.SendAsync(withCookie);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var badVisit = await harness.Client.GetAsync("/?token=nope");
        await ServerHarness.Problem(badVisit, 401);
    }

    [Fact]
    public async Task Loopback_NeedsNoTokenButRefusesForeignHostsAndOrigins()
    {
        var host = new FakeRunHost();
        await using var harness = await ServerHarness.Start(host: host);
        using var runs = await harness.Client.GetAsync("/api/runs");
        Assert.Equal(HttpStatusCode.OK, runs.StatusCode);
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        rebound.Headers.Host = "evil.example";
        using var reboundResponse = await harness.Client.SendAsync(rebound);
        await ServerHarness.Problem(reboundResponse, 403);
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        crossSite.Headers.Add("Origin", "http://evil.example");
        using var crossResponse = await harness.Client.SendAsync(crossSite);
        await ServerHarness.Problem(crossResponse, 403);
        Assert.Empty(host.Started);
    }

    private static HttpRequestMessage WithToken(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Gradscope-Token", ServerHarness.Token);
        return request;
    }

    // HttpClient normalizes dot segments; a raw socket sends the path exactly as written.
    private static async Task<(int Status, string Body)> RawGet(Uri server, string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        await using var stream = tcp.GetStream();
        byte[] request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string response = await reader.ReadToEndAsync();
        int status = int.Parse(response.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, response);
    }
}
