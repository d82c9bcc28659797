using System.Globalization;
using System.Security.Claims;

namespace Herald.Internal.Security;

/// <summary>Who a request or connection acts for: the subject (null while authentication is off), its grants, and when its token expires.</summary>
internal sealed record HeraldUser(string? Subject, HeraldGrants Grants, DateTimeOffset? ExpiresAt)
{
    /// <summary>Everyone, while authentication is off: no subject, every grant, no expiry.</summary>
    public static HeraldUser Anonymous { get; } = new(null, HeraldGrants.All, null);

    public static HeraldUser From(ClaimsPrincipal principal)
    {
        var subject = principal.FindFirst(HeraldClaims.Subject)?.Value
            ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value
            ?? principal.Identity?.Name;
        DateTimeOffset? expires = long.TryParse(principal.FindFirst("exp")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp)
            : null;
        return new HeraldUser(subject, HeraldGrants.From(principal), expires);
    }
}
