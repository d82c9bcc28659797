using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Herald;

/// <summary>
/// Makes JSON Web Tokens that Herald accepts, with its grants as claims (<see cref="HeraldClaims"/>): for an app that
/// signs its users' tokens, for tests, and for <c>herald token</c>. Signing is Microsoft.IdentityModel's.
/// </summary>
public static class HeraldTokens
{
    /// <summary>Signs a token for <paramref name="request"/>.</summary>
    /// <param name="request">Who it is for and what it grants.</param>
    /// <param name="credentials">The key and algorithm, such as <see cref="FromSecret"/> or <see cref="FromPrivateKeyPem"/>.</param>
    /// <param name="time">The clock for <c>iat</c>, <c>nbf</c> and <c>exp</c>; the system clock when omitted.</param>
    public static string Create(HeraldTokenRequest request, SigningCredentials credentials, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var notBefore = request.NotBefore ?? now;
        var claims = new Dictionary<string, object> { [HeraldClaims.Subject] = request.Subject };
        if (request.Subscribe.Count > 0)
        {
            claims[HeraldClaims.Subscribe] = request.Subscribe.ToArray();
        }

        if (request.Publish.Count > 0)
        {
            claims[HeraldClaims.Publish] = request.Publish.ToArray();
        }

        if (request.Messages)
        {
            claims[HeraldClaims.Messages] = true;
        }

        if (request.Admin)
        {
            claims[HeraldClaims.Admin] = true;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = notBefore.Add(request.Lifetime).UtcDateTime,
            Issuer = request.Issuer,
            Audience = request.Audience,
            SigningCredentials = credentials,
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>HS256 with a shared secret (at least 32 bytes of UTF-8), as <c>Herald:Auth:Jwt:Secret</c> configures.</summary>
    /// <param name="secret">The secret.</param>
    public static SigningCredentials FromSecret(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256);
    }

    /// <summary>RS256 or ES256 with a PEM private key, whose public key <c>Herald:Auth:Jwt:PublicKeyFile</c> names.</summary>
    /// <param name="pem">The private key in PEM form (RSA or EC).</param>
    public static SigningCredentials FromPrivateKeyPem(string pem)
    {
        ArgumentException.ThrowIfNullOrEmpty(pem);
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new SigningCredentials(new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
        }

        var ec = ECDsa.Create();
        ec.ImportFromPem(pem);
        return new SigningCredentials(new ECDsaSecurityKey(ec), SecurityAlgorithms.EcdsaSha256);
    }
}
