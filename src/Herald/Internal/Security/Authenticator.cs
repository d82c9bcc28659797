using Herald.Internal.Diagnostics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;

namespace Herald.Internal.Security;

/// <summary>
/// The one place every entry point asks who a request is (docs/security.md): the WebSocket upgrade on both paths, SSE,
/// the REST API and in-band token refresh. It asks ASP.NET Core's authentication for <see cref="HeraldAuthOptions.Scheme"/>,
/// so JWT validation is the framework's; a request that arrives below the HTTP layer (Herald's own socket path) is
/// given to that same scheme as a request carrying the same headers and query.
/// </summary>
internal sealed class Authenticator(HeraldOptions options, HeraldMetrics metrics, TimeProvider time, IServiceProvider services)
{
    public bool Required => options.Auth.Required;

    public async ValueTask<AuthOutcome> AuthenticateAsync(HttpContext context)
    {
        if (!Required)
        {
            return new AuthOutcome(HeraldUser.Anonymous, null);
        }

        var result = await context.AuthenticateAsync(options.Auth.Scheme).ConfigureAwait(false);
        string reason, detail;
        if (result.Succeeded && result.Principal.Identity?.IsAuthenticated == true)
        {
            var user = HeraldUser.From(result.Principal, result.Properties?.ExpiresUtc);
            if (user.Subject is null)
            {
                // Sessions belong to subjects, and an in-band refresh must keep the subject: a user without one would
                // share both with every other user without one.
                (reason, detail) = ("no_subject", "The credentials name no user: a token needs a 'sub' claim.");
            }
            else if (user.ExpiresAt <= time.GetUtcNow())
            {
                // The handler's clock skew would let it in for a moment, only to be closed with 4004 at the next tick.
                (reason, detail) = ("expired", "The token has expired.");
            }
            else
            {
                return new AuthOutcome(user, null);
            }
        }
        else
        {
            (reason, detail) = Describe(result.Failure);
        }

        metrics.AuthFailed(reason);
        return AuthOutcome.Refused(detail);
    }

    /// <summary>Authenticates what a request below the HTTP layer carried: its <c>Authorization</c> and <c>Cookie</c> headers and its query.</summary>
    public ValueTask<AuthOutcome> AuthenticateAsync(string? authorization, string? cookie, string query)
    {
        if (!Required)
        {
            return ValueTask.FromResult(new AuthOutcome(HeraldUser.Anonymous, null));
        }

        return AuthenticateDetachedAsync(authorization, cookie, query);
    }

    /// <summary>Authenticates a token sent in an <c>auth</c> frame (a refresh), as if it came in an <c>Authorization</c> header.</summary>
    public ValueTask<AuthOutcome> AuthenticateTokenAsync(string token)
        => AuthenticateAsync("Bearer " + token, cookie: null, query: string.Empty);

    private async ValueTask<AuthOutcome> AuthenticateDetachedAsync(string? authorization, string? cookie, string query)
    {
        using var scope = services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = HttpMethods.Get;
        context.Request.QueryString = new QueryString(query.Length == 0 || query[0] == '?' ? query : "?" + query);
        if (!string.IsNullOrEmpty(authorization))
        {
            context.Request.Headers.Authorization = new StringValues(authorization);
        }

        if (!string.IsNullOrEmpty(cookie))
        {
            context.Request.Headers.Cookie = new StringValues(cookie);
        }

        return await AuthenticateAsync(context).ConfigureAwait(false);
    }

    private static (string Reason, string Detail) Describe(Exception? failure) => failure switch
    {
        null => ("missing", "This server requires authentication: send a token as 'Authorization: Bearer TOKEN' or, from a browser, as the access_token query parameter."),
        SecurityTokenExpiredException => ("expired", "The token has expired."),
        SecurityTokenNotYetValidException => ("not_yet_valid", "The token is not valid yet."),
        SecurityTokenInvalidAudienceException => ("invalid_audience", "The token is not meant for this server (audience)."),
        SecurityTokenInvalidIssuerException => ("invalid_issuer", "The token was not issued by the issuer this server trusts."),
        SecurityTokenInvalidAlgorithmException => ("invalid_algorithm", "The token is signed with an algorithm this server does not accept."),
        SecurityTokenException => ("invalid_token", "The token is not valid (signature or format)."),
        _ => ("invalid_credentials", "The credentials are not valid."),
    };
}
