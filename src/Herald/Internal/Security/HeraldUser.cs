using System.Globalization;
using System.Security.Claims;

namespace Herald.Internal.Security;

/// <summary>Who a request or connection acts for: the subject (null while authentication is off), its grants, and when its token expires.</summary>
internal sealed record HeraldUser(string? Subject, HeraldGrants Grants, DateTimeOffset? ExpiresAt)
{
    /// <summary>Everyone, while authentication is off: no subject, every grant, no expiry.</summary>
    public static HeraldUser Anonymous { get; } = new(null, HeraldGrants.All, null);

    /// <summary>The user an authentication result names.</summary>
    /// <param name="principal">The authenticated principal.</param>
    /// <param name="expiresUtc">
    /// When the scheme says the credentials end (<see cref="Microsoft.AspNetCore.Authentication.AuthenticationProperties.ExpiresUtc"/>:
    /// the JWT handler sets it from the token's <c>exp</c>, the cookie handler from its ticket); the <c>exp</c> claim when it is null.
    /// </param>
    public static HeraldUser From(ClaimsPrincipal principal, DateTimeOffset? expiresUtc = null)
    {
        var subject = SubjectOf(principal);
        var expires = expiresUtc
            ?? (double.TryParse(principal.FindFirst("exp")?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var exp) && exp is > 0 and < 253402300800
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)(exp * 1000))
                : null);
        return new HeraldUser(subject, HeraldGrants.From(principal), expires);
    }

    /// <summary>Who <paramref name="principal"/> is: its <c>sub</c>, name identifier or name; null when it names nobody.</summary>
    public static string? SubjectOf(ClaimsPrincipal principal)
    {
        var subject = principal.FindFirst(HeraldClaims.Subject)?.Value
            ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value
            ?? principal.Identity?.Name;
        return string.IsNullOrEmpty(subject) ? null : subject;
    }
}
