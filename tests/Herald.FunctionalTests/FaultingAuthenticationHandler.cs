using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.FunctionalTests;

/// <summary>An app's own authentication scheme that fails inside: it throws for the credential <c>Bearer fail</c> and lets anyone else in as alice.</summary>
internal sealed class FaultingAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Name = "Faulting";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers.Authorization == "Bearer fail")
        {
            throw new InvalidOperationException("The identity provider could not be reached.");
        }

        var identity = new ClaimsIdentity([new Claim(HeraldClaims.Subject, "alice"), new Claim(HeraldClaims.Subscribe, "#")], Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
    }
}
