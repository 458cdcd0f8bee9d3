using System.Net;
using Gradscope.Lab.Live;

namespace Gradscope.Server;

/// <summary>How <see cref="DashboardServer"/> is started: the store it reads, where it listens, the token and the run host.</summary>
public sealed record DashboardOptions
{
    /// <summary>The run store file (created when missing).</summary>
    public required string StorePath { get; init; }

    /// <summary>The address to bind: an IP address or <c>localhost</c>.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one (<see cref="DashboardServer.Url"/> says which).</summary>
    public int Port { get; init; } = 5080;

    /// <summary>
    /// The secret a client must send (header <c>X-Gradscope-Token</c> or cookie <c>gradscope_token</c>)
    /// when the server is bound to a non-loopback address; ignored on loopback.
    /// </summary>
    public required string Token { get; init; }

    /// <summary>Builds the host that starts and steers runs for this store; null: this server cannot start runs (503).</summary>
    public Func<string, IRunHost>? RunHostFactory { get; init; }

    /// <summary>True when <see cref="Host"/> is a loopback address, so only this machine can connect.</summary>
    public bool Loopback => IsLoopback(Host);

    /// <summary>True for <c>localhost</c> and loopback IP addresses (127.0.0.0/8, ::1).</summary>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
