using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Herald.Internal.Security;

/// <summary>
/// Configures ASP.NET Core's JWT bearer handler for <see cref="HeraldAuthentication.JwtScheme"/> from
/// <see cref="HeraldJwtOptions"/>: the key decides the algorithms accepted (HS256 for a secret; RS/PS/ES for public
/// keys), so a token signed with another algorithm, or unsigned (<c>none</c>), is refused. Claims keep their JWT names.
/// </summary>
internal sealed class JwtBearerSetup(IOptions<HeraldOptions> herald) : IConfigureNamedOptions<JwtBearerOptions>
{
    private static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name != HeraldAuthentication.JwtScheme)
        {
            return;
        }

        var jwt = herald.Value.Auth.Jwt;
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = !string.IsNullOrEmpty(jwt.Issuer),
            ValidIssuer = jwt.Issuer,
            ValidateAudience = !string.IsNullOrEmpty(jwt.Audience),
            ValidAudience = jwt.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = jwt.ClockSkew,
            NameClaimType = HeraldClaims.Subject,
            IssuerSigningKeys = jwt.HasKey ? Keys(jwt) : [],
            ValidAlgorithms = Symmetric(jwt) ? [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512] : AsymmetricAlgorithms,
        };
        options.Events = new JwtBearerEvents
        {
            // Browsers cannot set headers on WebSockets or EventSource; the token comes in the query then.
            OnMessageReceived = context =>
            {
                context.Token ??= BearerToken.From(context.Request);
                return Task.CompletedTask;
            },
        };
    }

    private static bool Symmetric(HeraldJwtOptions jwt) => !string.IsNullOrEmpty(jwt.Secret) || !string.IsNullOrEmpty(jwt.SecretFile);

    /// <summary>The configured key(s); the validator has checked they read.</summary>
    public static IReadOnlyList<SecurityKey> Keys(HeraldJwtOptions jwt)
    {
        if (SecretBytes(jwt) is { } secret)
        {
            return [new SymmetricSecurityKey(secret)];
        }

        if (!string.IsNullOrEmpty(jwt.PublicKeyFile))
        {
            var pem = File.ReadAllText(jwt.PublicKeyFile);
            var rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(pem);
                return [new RsaSecurityKey(rsa)];
            }
            catch (Exception ex) when (ex is ArgumentException or CryptographicException)
            {
                rsa.Dispose();
            }

            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return [new ECDsaSecurityKey(ec)];
        }

        return [.. new JsonWebKeySet(File.ReadAllText(jwt.JwksFile!)).GetSigningKeys()];
    }

    /// <summary>The HS256 secret as bytes, from the setting or its file; null when none is configured.</summary>
    public static byte[]? SecretBytes(HeraldJwtOptions jwt)
        => !string.IsNullOrEmpty(jwt.Secret) ? Encoding.UTF8.GetBytes(jwt.Secret)
            : !string.IsNullOrEmpty(jwt.SecretFile) ? Encoding.UTF8.GetBytes(File.ReadAllText(jwt.SecretFile).TrimEnd())
            : null;
}
