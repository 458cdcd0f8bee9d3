using System.Net.Http.Headers;
using System.Text.Json;
using Gradscope.Lab.Live;

namespace Gradscope.Server.Tests;

/// <summary>A dashboard server on a free port over a temp store, and a client for it.</summary>
internal sealed class ServerHarness : IAsyncDisposable
{
    public const string Token = "test-token-123";

    private ServerHarness(DashboardServer server, string store, HttpClient client)
    {
        Server = server;
        Store = store;
        Client = client;
    }

    public DashboardServer Server { get; }

    public string Store { get; }

    public HttpClient Client { get; }

    public static async Task<ServerHarness> Start(string? store = null, IRunHost? host = null, string bind = "127.0.0.1")
    {
        store ??= TestRuns.TempStore();
        var server = DashboardServer.Create(new DashboardOptions
        {
            StorePath = store,
            Host = bind,
            Port = 0,
            Token = Token,
            RunHostFactory = host is null ? null : _ => host,
        });
        await server.StartAsync();
        // A wildcard bind is reached through loopback.
        var url = new UriBuilder(server.Url) { Host = "127.0.0.1" }.Uri;
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        return new ServerHarness(server, store, client);
    }

    public async Task<JsonElement> GetJson(string path, int expectedStatus = 200)
    {
        using var response = await Client.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"GET {path}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    public static async Task<JsonElement> Problem(HttpResponseMessage response, int status)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement.Clone();
        Assert.Equal(status, root.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("detail").GetString()));
        return root;
    }

    public Task<HttpResponseMessage> PostJson(string path, string json)
    {
        var content = new StringContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Client.PostAsync(path, content);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.StopAsync();
        await Server.DisposeAsync();
    }
}
