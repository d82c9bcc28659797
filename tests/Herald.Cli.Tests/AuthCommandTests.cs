using System.Net.Http.Json;
using System.Text.Json;
using Herald.Testing;

namespace Herald.Cli.Tests;

public sealed class AuthCommandTests
{
    [Fact]
    public async Task KeyCreatePrintsANewKeyAndTheSettingsWithOnlyItsHash()
    {
        var (code, output, error) = await CliRunner.RunAsync(null, "key", "create", "--name", "camera-pipeline", "--publish", "cams/#");

        Assert.Equal(0, code);
        var key = output.Trim();
        Assert.StartsWith("hk_", key, StringComparison.Ordinal);
        Assert.Contains($"--Herald:Auth:ApiKeys:0:Hash={ApiKeys.Hash(key)}", error, StringComparison.Ordinal);
        Assert.Contains("--Herald:Auth:ApiKeys:0:Publish:0=cams/#", error, StringComparison.Ordinal);
        Assert.DoesNotContain(key, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyCreateRefusesAnInvalidPattern()
    {
        var (code, _, error) = await CliRunner.RunAsync(null, "key", "create", "--name", "x", "--publish", "a/#/b");

        Assert.Equal(2, code);
        Assert.Contains("'#'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenSignsWithTheConfiguredSecretAndTheServerAcceptsItsGrants()
    {
        const string secret = "cli-tests-secret-that-is-at-least-32-bytes";
        SecretScanner.Register(secret);
        var (code, output, error) = await CliRunner.RunAsync(null, "token", "--sub", "alice", "--subscribe", "cams/#", "--ttl", "10m", $"--Herald:Auth:Jwt:Secret={secret}");
        Assert.True(code == 0, error);
        var token = output.Trim();

        await using var server = await ChildServer.StartAsync($"--Herald:Auth:Jwt:Secret={secret}", "--Herald:Store=memory");
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeouts.Default };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/me");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("alice", me.GetProperty("subject").GetString());
        Assert.Equal(["cams/#"], me.GetProperty("grants").GetProperty("subscribe").EnumerateArray().Select(p => p.GetString()));
        Assert.InRange(me.GetProperty("expiresAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(9), DateTimeOffset.UtcNow.AddMinutes(11));
    }

    [Fact]
    public async Task TokenWithoutAKeySaysHowToConfigureOne()
    {
        var (code, _, error) = await CliRunner.RunAsync(null, "token", "--sub", "alice");

        Assert.Equal(2, code);
        Assert.Contains("Herald:Auth:Jwt:Secret", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h", 3600)]
    [InlineData("2d", 172800)]
    [InlineData("00:05:00", 300)]
    public void TtlsReadAsDurations(string text, int seconds)
    {
        Assert.True(TokenCommand.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("-1h")]
    [InlineData("soon")]
    public void TtlsThatAreNotPositiveDurationsAreRefused(string text) => Assert.False(TokenCommand.TryParseDuration(text, out _));
}
