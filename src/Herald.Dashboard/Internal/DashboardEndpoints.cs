using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Herald.Dashboard.Internal;

/// <summary>Serves the dashboard's files and the capability document.</summary>
internal static class DashboardEndpoints
{
    public const string IndexPath = "index.html";
    public const string ClientPath = "herald.js";

    // Scripts, styles and connections only from the server itself; nothing inline, no frames.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IResult Index(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.HasValue || !request.Path.Value.EndsWith('/'))
        {
            // The page loads its files by relative URLs, which need the trailing slash under a path prefix.
            return TypedResults.Redirect(request.PathBase + request.Path + "/" + request.QueryString);
        }

        context.Response.Headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        context.Response.Headers[HeaderNames.XFrameOptions] = "DENY";
        return File(context, IndexPath);
    }

    public static IResult Client(HttpContext context) => File(context, ClientPath);

    public static IResult Asset(HttpContext context, string path) => File(context, path);

    private static IResult File(HttpContext context, string path)
    {
        if (!DashboardAssets.Embedded.TryGet(path, out var asset))
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        // Revalidate every time: the paths are stable across versions, and the entity tag makes a check cheap (304).
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Bytes(asset.Content, asset.ContentType, entityTag: asset.ETag);
    }
}
