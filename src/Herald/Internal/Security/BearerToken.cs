using Microsoft.AspNetCore.Http;

namespace Herald.Internal.Security;

/// <summary>
/// Where a request carries its token: <c>Authorization: Bearer</c>, or, because browsers cannot set headers on a
/// WebSocket or EventSource, the <c>access_token</c> query parameter (which Herald never logs).
/// </summary>
internal static class BearerToken
{
    public const string QueryParameter = "access_token";

    public static string? From(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return request.Query[QueryParameter].ToString() is { Length: > 0 } query ? query : null;
    }

    /// <summary>A token in the compact JWS form (three base64url parts) goes to the JWT handler; anything else is an API key.</summary>
    public static string SchemeFor(HttpContext context)
        => From(context.Request) is { } token && token.Count(c => c == '.') == 2 ? HeraldAuthentication.JwtScheme : HeraldAuthentication.ApiKeyScheme;
}
