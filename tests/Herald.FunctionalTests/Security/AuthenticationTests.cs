using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Herald.Testing;

namespace Herald.FunctionalTests.Security;

/// <summary>Who may connect: every bad token is refused with 401 before the upgrade, on both listener paths.</summary>
public sealed class AuthenticationTests
{
    /// <summary>The three ways a WebSocket handshake reaches Herald: at accept time, below Kestrel's HTTP layer, and through ASP.NET Core.</summary>
    public static TheoryData<string> ListenerPaths() =>
    [
        "--Herald:SocketTransport=true",
        "--Herald:SocketTransport=false",
        "--Herald:DirectWebSockets=false",
    ];

    [Theory]
    [MemberData(nameof(ListenerPaths))]
    public async Task AnUpgradeWithoutATokenIsRefusedWith401BeforeTheUpgrade(string path)
    {
        await using var app = await AuthServer.StartAsync(path);

        var answer = await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events");

        Assert.Equal(401, answer.StatusCode);
        Assert.Equal("Bearer", answer.Header("WWW-Authenticate"));
        Assert.Contains("requires authentication", JsonDocument.Parse(answer.Body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ListenerPaths))]
    public async Task AValidTokenInTheHeaderOrInTheQueryOpensTheConnection(string path)
    {
        await using var app = await AuthServer.StartAsync(path);
        var token = AuthServer.Token("alice");

        var (byHeader, _) = await app.ConnectAsync(configure: o => o.SetRequestHeader("Authorization", "Bearer " + token));
        var (byQuery, welcome) = await app.ConnectAsync("access_token=" + token);
        await byHeader.DisposeAsync();
        await byQuery.DisposeAsync();

        Assert.Equal("welcome", welcome.Type());
    }

    public static TheoryData<string, string> BadTokens()
    {
        var now = DateTimeOffset.UtcNow;
        return new TheoryData<string, string>
        {
            { "wrong signature", HeraldTokens.Create(new HeraldTokenRequest { Subject = "mallory" }, HeraldTokens.FromSecret("another-secret-that-is-32-bytes-long!!")) },
            { "alg none", Unsigned(new Dictionary<string, object> { ["sub"] = "mallory", ["exp"] = now.AddHours(1).ToUnixTimeSeconds(), [HeraldClaims.Admin] = true }) },
            { "expired", AuthServerToken(new HeraldTokenRequest { Subject = "alice", NotBefore = now.AddHours(-2), Lifetime = TimeSpan.FromHours(1) }) },
            { "not yet valid", AuthServerToken(new HeraldTokenRequest { Subject = "alice", NotBefore = now.AddHours(1) }) },
            { "wrong algorithm", HeraldTokens.Create(new HeraldTokenRequest { Subject = "mallory" }, HeraldTokens.FromPrivateKeyPem(RSA.Create(2048).ExportRSAPrivateKeyPem())) },
            { "garbage", "not.a.token" },
            { "unknown api key", ApiKeys.Create() },
        };
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task ABadTokenIsRefusedWith401OnTheSocketPathAndOverHttp(string why, string token)
    {
        await using var app = await AuthServer.StartAsync();

        var socket = await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?access_token=" + Uri.EscapeDataString(token));
        using var http = await app.Http.SendAsync(AuthServer.Request(HttpMethod.Get, "api/events", token));

        Assert.True(socket.StatusCode == 401, why);
        Assert.Equal(HttpStatusCode.Unauthorized, http.StatusCode);
    }

    [Fact]
    public async Task IssuerAndAudienceAreCheckedWhenConfigured()
    {
        await using var app = await AuthServer.StartAsync("--Herald:Auth:Jwt:Issuer=https://id.example", "--Herald:Auth:Jwt:Audience=herald");
        string Make(string? issuer, string? audience) => AuthServerToken(new HeraldTokenRequest { Subject = "alice", Subscribe = ["#"], Issuer = issuer, Audience = audience });

        Assert.Equal(101, (await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?access_token=" + Make("https://id.example", "herald"))).StatusCode);
        Assert.Equal(401, (await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?access_token=" + Make("https://evil.example", "herald"))).StatusCode);
        Assert.Equal(401, (await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?access_token=" + Make("https://id.example", "other"))).StatusCode);
        Assert.Equal(401, (await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?access_token=" + Make(null, null))).StatusCode);
    }

    [Fact]
    public async Task AServerWithAPublicKeyAcceptsItsTokensAndRefusesOnesSignedWithThePublicKeyAsASecret()
    {
        using var directory = new TempDirectory();
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = Path.Combine(directory.Path, "public.pem");
        await File.WriteAllTextAsync(publicKey, ec.ExportSubjectPublicKeyInfoPem());
        await using var app = await TestServer.StartAsync($"--Herald:Auth:Jwt:PublicKeyFile={publicKey}");

        var good = HeraldTokens.Create(new HeraldTokenRequest { Subject = "alice", Subscribe = ["#"] }, HeraldTokens.FromPrivateKeyPem(ec.ExportECPrivateKeyPem()));
        var confused = HeraldTokens.Create(new HeraldTokenRequest { Subject = "mallory", Subscribe = ["#"] }, HeraldTokens.FromSecret(await File.ReadAllTextAsync(publicKey)));

        Assert.Equal(101, (await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?access_token=" + good)).StatusCode);
        Assert.Equal(401, (await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?access_token=" + confused)).StatusCode);
    }

    [Fact]
    public async Task AServerWithAKeySetAcceptsRs256TokensForItsAudienceOnly()
    {
        using var directory = new TempDirectory();
        using var rsa = RSA.Create(2048);
        var jwk = Microsoft.IdentityModel.Tokens.JsonWebKeyConverter.ConvertFromRSASecurityKey(new Microsoft.IdentityModel.Tokens.RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "k1" });
        jwk.Use = "sig";
        var jwks = Path.Combine(directory.Path, "jwks.json");
        await File.WriteAllTextAsync(jwks, JsonSerializer.Serialize(new { keys = new[] { new { kty = jwk.Kty, use = jwk.Use, kid = jwk.Kid, n = jwk.N, e = jwk.E } } }));
        await using var app = await TestServer.StartAsync($"--Herald:Auth:Jwt:JwksFile={jwks}", "--Herald:Auth:Jwt:Audience=herald");
        var key = HeraldTokens.FromPrivateKeyPem(rsa.ExportRSAPrivateKeyPem());
        key.Key.KeyId = "k1";

        var forHerald = HeraldTokens.Create(new HeraldTokenRequest { Subject = "alice", Subscribe = ["#"], Audience = "herald" }, key);
        var forAnotherApp = HeraldTokens.Create(new HeraldTokenRequest { Subject = "alice", Subscribe = ["#"], Audience = "billing" }, key);

        Assert.Equal(101, (await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?access_token=" + forHerald)).StatusCode);
        Assert.Equal(401, (await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?access_token=" + forAnotherApp)).StatusCode);
    }

    [Fact]
    public async Task ATokenWithoutASubjectIsRefused()
    {
        await using var app = await AuthServer.StartAsync();

        var token = HeraldTokens.Create(new HeraldTokenRequest { Subject = "", Subscribe = ["#"] }, HeraldTokens.FromSecret(AuthServer.Secret));

        Assert.Equal(401, (await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events?access_token=" + token)).StatusCode);
    }

    [Fact]
    public async Task AnApiKeyAuthenticatesAsItsNamedKey()
    {
        await using var app = await AuthServer.StartAsync();

        using var response = await app.Http.SendAsync(AuthServer.Request(HttpMethod.Get, "api/me", AuthServer.PublisherKey));
        var me = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(me.GetProperty("authenticated").GetBoolean());
        Assert.Equal("key:publisher", me.GetProperty("subject").GetString());
        Assert.Equal(["cams/#"], me.GetProperty("grants").GetProperty("publish").EnumerateArray().Select(p => p.GetString()));
        Assert.False(me.GetProperty("grants").GetProperty("admin").GetBoolean());
    }

    [Fact]
    public async Task WithAuthenticationOffEveryoneMayDoEverything()
    {
        await using var app = await TestServer.StartAsync();

        var me = await app.GetJsonAsync("api/me");

        Assert.False(me.GetProperty("authRequired").GetBoolean());
        Assert.True(me.GetProperty("grants").GetProperty("admin").GetBoolean());
    }

    /// <summary>A token with <c>alg: none</c> and no signature, as an attacker would forge one.</summary>
    private static string Unsigned(object payload)
    {
        static string Part(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
        return Part(new { alg = "none", typ = "JWT" }) + "." + Part(payload) + ".";
    }

    private static string AuthServerToken(HeraldTokenRequest request) => HeraldTokens.Create(request, HeraldTokens.FromSecret(AuthServer.Secret));
}
