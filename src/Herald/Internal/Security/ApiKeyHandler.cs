using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Internal.Security;

/// <summary>
/// API keys (<see cref="HeraldAuthOptions.ApiKeys"/>): the bearer token's SHA-256 is compared, in constant time, with
/// each configured hash; a match authenticates <c>key:NAME</c> with that key's grants as claims.
/// </summary>
internal sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> schemes, IOptions<HeraldOptions> herald, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken.From(Request) is not { } token)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        foreach (var key in herald.Value.Auth.ApiKeys)
        {
            if (ApiKeys.TryParseHash(key.Hash, out var expected) && CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                var principal = new ClaimsPrincipal(new ClaimsIdentity(Claims(key), Scheme.Name, HeraldClaims.Subject, null));
                return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
            }
        }

        return Task.FromResult(AuthenticateResult.Fail("The API key is not known."));
    }

    private static IEnumerable<Claim> Claims(HeraldApiKeyOptions key)
    {
        yield return new Claim(HeraldClaims.Subject, "key:" + key.Name);
        foreach (var pattern in key.Subscribe)
        {
            yield return new Claim(HeraldClaims.Subscribe, pattern);
        }

        foreach (var pattern in key.Publish)
        {
            yield return new Claim(HeraldClaims.Publish, pattern);
        }

        if (key.Messages)
        {
            yield return new Claim(HeraldClaims.Messages, "true");
        }

        if (key.Admin)
        {
            yield return new Claim(HeraldClaims.Admin, "true");
        }
    }
}
