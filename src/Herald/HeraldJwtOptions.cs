namespace Herald;

/// <summary>
/// How Herald validates JSON Web Tokens (<c>Herald:Auth:Jwt</c>), through ASP.NET Core's JWT bearer handler. Set exactly one
/// key: a shared secret (HS256), a PEM public key (RS256 or ES256), or a JWKS file. Tokens with <c>alg: none</c>, with
/// another algorithm than the key's, expired or not yet valid are refused.
/// </summary>
public sealed class HeraldJwtOptions
{
    /// <summary>The HS256 shared secret, at least 32 bytes of UTF-8. Prefer <see cref="SecretFile"/>: configuration is often logged or shared. Default: none.</summary>
    public string? Secret { get; set; }

    /// <summary>A file holding the HS256 shared secret (trailing whitespace ignored). Default: none.</summary>
    public string? SecretFile { get; set; }

    /// <summary>A PEM file with the RSA or EC public key that verifies RS256 or ES256 tokens. Default: none.</summary>
    public string? PublicKeyFile { get; set; }

    /// <summary>A JSON Web Key Set file (the <c>keys</c> document an identity provider publishes). Default: none.</summary>
    public string? JwksFile { get; set; }

    /// <summary>The <c>iss</c> a token must carry; not checked when unset. Default: none.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> a token must carry; not checked when unset. Default: none.</summary>
    public string? Audience { get; set; }

    /// <summary>How far apart clocks may be when checking <c>exp</c> and <c>nbf</c>. Default 30 seconds.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a key is configured.</summary>
    public bool HasKey => !string.IsNullOrEmpty(Secret) || !string.IsNullOrEmpty(SecretFile) || !string.IsNullOrEmpty(PublicKeyFile) || !string.IsNullOrEmpty(JwksFile);
}
