using System.CommandLine;
using Herald.Server;

namespace Herald.Cli;

/// <summary>The <c>--server URL</c> option of every command that talks to a server.</summary>
internal static class ServerOption
{
    public static Option<Uri> Create() => new("--server")
    {
        Description = $"The Herald server (http(s):// or ws(s)://; default {HeraldServer.DefaultUrl}).",
        DefaultValueFactory = _ => new Uri(HeraldServer.DefaultUrl),
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : HeraldServer.DefaultUrl;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ws" or "wss")
            {
                return uri;
            }

            result.AddError($"--server must be an absolute http(s) or ws(s) URL, not '{text}'.");
            return null;
        },
    };
}
