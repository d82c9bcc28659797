using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Herald.Dashboard.Internal;

/// <summary>
/// The files under <c>src/Herald.Dashboard/wwwroot</c>, embedded in this assembly with their paths as resource
/// names and read once: together they are a few tens of kilobytes.
/// </summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "wwwroot/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".json"] = "application/json; charset=utf-8",
        [".png"] = "image/png",
        // A TypeScript declaration file is text for people and editors (".ts" is also an MPEG stream type).
        [".ts"] = "text/plain; charset=utf-8",
        [".md"] = "text/markdown; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, DashboardAsset> _assets;

    private DashboardAssets(FrozenDictionary<string, DashboardAsset> assets) => _assets = assets;

    /// <summary>The assets of this assembly.</summary>
    public static DashboardAssets Embedded { get; } = Load(typeof(DashboardAssets).Assembly);

    /// <summary>Every asset path, such as <c>index.html</c> and <c>dashboard/app.js</c>.</summary>
    public IEnumerable<string> Paths => _assets.Keys;

    /// <summary>The asset at <paramref name="path"/> (relative to <c>wwwroot/</c>, case-sensitive).</summary>
    public bool TryGet(string path, out DashboardAsset asset) => _assets.TryGetValue(path, out asset!);

    private static DashboardAssets Load(Assembly assembly)
    {
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var normalized = name.Replace('\\', '/');
            if (!normalized.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var path = normalized[Prefix.Length..];
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var tag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"");
            assets[path] = new DashboardAsset(path, content, ContentTypeOf(path), tag);
        }

        return new DashboardAssets(assets.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static string ContentTypeOf(string path)
        => ContentTypes.TryGetValue(Path.GetExtension(path), out var type) ? type : "application/octet-stream";
}
