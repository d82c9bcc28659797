using Herald.Testing;

namespace Herald.Tests;

/// <summary>The scanner every test server's logs pass through finds each kind of secret, and only secrets.</summary>
public sealed class SecretScannerTests
{
    [Theory]
    [InlineData("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl accepted", "a JWT")]
    [InlineData("unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0. refused", "a JWT")]
    [InlineData("key hk_3q2-7wEXAMPLEexampleEXAMPLEexample0 refused", "an API key")]
    [InlineData("Authorization: Bearer abc.def.ghi-jkl", "a Bearer credential")]
    [InlineData("Request starting GET /ws/events?topics=a&access_token=abc123 - -", "a secret query parameter")]
    [InlineData("GET /ws/events?session=s1&resume=Jw7cQ2", "a secret query parameter")]
    [InlineData("Kestrel:Endpoints:Https:Certificate:Password=hunter22", "a password or secret setting")]
    [InlineData("{\"Secret\":\"abcdefgh\"}", "a password or secret setting")]
    public void EachShapeOfSecretIsFound(string line, string kind)
    {
        var finding = Assert.Single(SecretScanner.Find([line]));

        Assert.StartsWith(kind, finding, StringComparison.Ordinal);
    }

    [Fact]
    public void ARegisteredSecretIsFoundAnywhereInALine()
    {
        SecretScanner.Register("unit-tests-registered-secret-value");

        Assert.Single(SecretScanner.Find(["refused: expected unit-tests-registered-secret-value!"]));
    }

    [Theory]
    [InlineData("Connection kSoI7rYZAofBs0vb opened (websocket, session s0ku-dPmxCmtfl9z, 127.0.0.1)")]
    [InlineData("Request starting GET /ws/events?topics=a&access_token=***&resume=*** - -")]
    [InlineData("Herald:Auth:Jwt:Secret must hold at least 32 bytes")]
    [InlineData("Authentication failed: Bearer *** was refused")]
    [InlineData("--Herald:Auth:Jwt:SecretFile=/etc/herald/jwt-secret")]
    public void LinesWithoutSecretsOrWithThemMaskedPass(string line)
    {
        SecretScanner.Register("short");

        Assert.Empty(SecretScanner.Find([line, "a short line"]));
    }

    [Fact]
    public void AssertNoneFailsNamingTheSourceAndTheKind()
    {
        var failure = Assert.ThrowsAny<Exception>(() => SecretScanner.AssertNone(["?access_token=leaked-value"], "The test logs"));

        Assert.Contains("The test logs hold secrets", failure.Message, StringComparison.Ordinal);
        Assert.Contains("a secret query parameter", failure.Message, StringComparison.Ordinal);
    }
}
