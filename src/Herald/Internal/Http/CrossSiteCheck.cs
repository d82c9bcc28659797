using Herald.Internal.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Herald.Internal.Http;

/// <summary>
/// Keeps other sites' pages from changing anything through a visitor's browser (cross-site request forgery). A
/// browser sends a cross-site POST with a form, <c>text/plain</c> or no <c>Content-Type</c> at all without asking
/// first, so a request that changes state (any method but GET, HEAD and OPTIONS) must come from an allowed origin
/// (<see cref="OriginPolicy"/>, the WebSocket upgrade's rule), and one that can carry a body (POST, PUT, PATCH)
/// must declare JSON, which no page can send to another site without the CORS permission Herald never grants.
/// </summary>
internal static class CrossSiteCheck
{
    public static ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var method = request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
        {
            return next(context);
        }

        var services = context.HttpContext.RequestServices;
        if (!services.GetRequiredService<OriginPolicy>().IsAllowed(request))
        {
            Log.CrossSiteRefused(services.GetRequiredService<ILoggerFactory>().CreateLogger(Log.HttpCategory), method, request.Path, request.Headers.Origin.ToString());
            return ValueTask.FromResult<object?>(Problems.Result(StatusCodes.Status403Forbidden, "Origin not allowed", "A request that changes something must come from an allowed origin (Herald:AllowedOrigins)."));
        }

        if ((HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method)) && !IsJson(request.ContentType))
        {
            return ValueTask.FromResult<object?>(Problems.Result(StatusCodes.Status415UnsupportedMediaType, "JSON expected", "The body must be sent as 'Content-Type: application/json'."));
        }

        return next(context);
    }

    private static bool IsJson(string? contentType)
        => MediaTypeHeaderValue.TryParse(contentType, out var media)
            && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))
            && media.Type.Equals("application", StringComparison.OrdinalIgnoreCase);
}
