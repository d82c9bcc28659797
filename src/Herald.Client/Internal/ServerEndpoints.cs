using System.Globalization;
using System.Text;

namespace Herald.Client.Internal;

/// <summary>The WebSocket and HTTP addresses derived from <see cref="HeraldClientOptions.ServerUri"/>.</summary>
internal sealed class ServerEndpoints
{
    private const string EventsPath = "ws/events";

    public ServerEndpoints(Uri server)
    {
        var secure = server.Scheme is "https" or "wss";
        var path = server.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/" + EventsPath, StringComparison.Ordinal))
        {
            path = path[..^(EventsPath.Length + 1)];
        }

        var basePath = path + "/";
        var authority = server.Authority;
        SocketBase = new Uri($"{(secure ? "wss" : "ws")}://{authority}{basePath}{EventsPath}");
        HttpBase = new Uri($"{(secure ? "https" : "http")}://{authority}{basePath}");
        Display = $"{SocketBase.Scheme}://{authority}{basePath}{EventsPath}";
    }

    /// <summary><c>ws(s)://host:port/base/ws/events</c>, without a query.</summary>
    public Uri SocketBase { get; }

    /// <summary><c>http(s)://host:port/base/</c>.</summary>
    public Uri HttpBase { get; }

    /// <summary>The socket address without any query, safe to log.</summary>
    public string Display { get; }

    /// <summary>The connect URI; topics are escaped so <c>+</c> travels as %2B and <c>#</c> as %23.</summary>
    public Uri Connect(IReadOnlyCollection<string> topics, long? since, string? sessionId, string? resumeToken)
    {
        var query = new StringBuilder("?topics=");
        query.AppendJoin(',', topics.Select(Uri.EscapeDataString));
        if (!string.IsNullOrEmpty(sessionId))
        {
            query.Append("&session=").Append(Uri.EscapeDataString(sessionId));
        }

        if (!string.IsNullOrEmpty(resumeToken))
        {
            query.Append("&resume=").Append(Uri.EscapeDataString(resumeToken));
        }

        if (since is { } value)
        {
            query.Append("&since=").Append(value.ToString(CultureInfo.InvariantCulture));
        }

        return new Uri(SocketBase + query.ToString());
    }
}
