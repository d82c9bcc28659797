using System.Text.RegularExpressions;
using Herald.Server;
using Herald.Testing;
using Microsoft.Extensions.Options;

namespace Herald.FunctionalTests;

/// <summary>Every setting is known, documented and checked at start-up; an unknown one is named with the nearest known one.</summary>
public sealed partial class ConfigurationTests
{
    [Fact]
    public void TheConfigurationReferenceListsExactlyTheSettingsTheServerKnows()
    {
        var documented = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Docs", "configuration.md"))
            .Select(line => DocumentedKey().Match(line))
            .Where(m => m.Success)
            .Select(m => ListIndex().Replace(m.Groups[1].Value, ":*"))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        string[] undocumented = [.. SettingsSchema.Keys.Where(k => !documented.Contains(k))];
        string[] unknown = [.. documented.Where(k => !SettingsSchema.Keys.Contains(k, StringComparer.OrdinalIgnoreCase))];
        Assert.Equal([], undocumented);
        Assert.Equal([], unknown);
        Assert.Contains("Herald:AllowedOrigins:*", SettingsSchema.Keys);
        Assert.Contains("Herald:UniFi:Sources:*:PasswordFile", SettingsSchema.Keys);
    }

    [Theory]
    [InlineData("--Herald:HeartbeatIntervl=00:00:10", "unknown setting Herald:HeartbeatIntervl; did you mean Herald:HeartbeatInterval?")]
    [InlineData("--Herald:Sqlite:Pth=x.db", "unknown setting Herald:Sqlite:Pth; did you mean Herald:Sqlite:Path?")]
    [InlineData("--Herald:Metrics:Enable=false", "unknown setting Herald:Metrics:Enable; did you mean Herald:Metrics:Enabled?")]
    [InlineData("--Herald:UniFi:Sources:1:Controler=https://192.0.2.1", "unknown setting Herald:UniFi:Sources:1:Controler; did you mean Herald:UniFi:Sources:1:Controller?")]
    [InlineData("--Herald:Nats:Urls=nats://localhost", "unknown setting Herald:Nats:Urls; did you mean Herald:Nats:Url?")]
    public async Task AnUnknownSettingOnTheCommandLineIsNamedWithTheNearestKnownOne(string setting, string expected)
    {
        Assert.Contains(expected, await FailureAsync(setting), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownSettingInAppsettingsJsonIsRefusedToo()
    {
        using var directory = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "appsettings.json"), """{ "Herald": { "SendQueueCapasity": 10 } }""");

        var failure = await FailureAsync($"--contentRoot={directory.Path}");

        Assert.Contains("unknown setting Herald:SendQueueCapasity; did you mean Herald:SendQueueCapacity?", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Herald:HeartbeatInterval=00:00:00", "Herald:HeartbeatInterval must be positive")]
    [InlineData("--Herald:HeartbeatInterval=soon", "Herald:HeartbeatInterval")]
    [InlineData("--Herald:ClientTimeout=00:00:10", "Herald:ClientTimeout (00:00:10) must be longer than Herald:HeartbeatInterval")]
    [InlineData("--Herald:SendTimeout=-00:00:01", "Herald:SendTimeout must be positive")]
    [InlineData("--Herald:CloseTimeout=00:00:00", "Herald:CloseTimeout must be positive")]
    [InlineData("--Herald:MaxMessageSize=100", "Herald:MaxMessageSize must be at least 256; it is 100")]
    [InlineData("--Herald:MaxEventSize=0", "Herald:MaxEventSize must be at least 1")]
    [InlineData("--Herald:MaxPublishBodySize=1000", "Herald:MaxPublishBodySize (1000) must be at least Herald:MaxEventSize (1048576)")]
    [InlineData("--Herald:SendQueueCapacity=7", "Herald:SendQueueCapacity must be at least 8")]
    [InlineData("--Herald:MaxConnections=0", "Herald:MaxConnections must be at least 1")]
    [InlineData("--Herald:MaxHttpConnections=0", "Herald:MaxHttpConnections must be at least 1")]
    [InlineData("--Herald:MaxConnectionsPerAddress=0", "Herald:MaxConnectionsPerAddress must be at least 1")]
    [InlineData("--Herald:MaxHttpConnectionsPerAddress=0", "Herald:MaxHttpConnectionsPerAddress must be at least 1")]
    [InlineData("--Herald:RequestHeadersTimeout=00:00:00", "Herald:RequestHeadersTimeout must be positive")]
    [InlineData("--Herald:KeepAliveTimeout=-00:00:01", "Herald:KeepAliveTimeout must be positive")]
    [InlineData("--Herald:RateLimit:Burst=0", "Herald:RateLimit:Burst must be at least 1")]
    [InlineData("--Herald:RateLimit:Enabled=perhaps", "Herald:RateLimit:Enabled")]
    [InlineData("--Herald:DirectWebSockets=perhaps", "Herald:DirectWebSockets")]
    [InlineData("--Herald:SocketTransport=perhaps", "Herald:SocketTransport")]
    [InlineData("--Herald:AllowedOrigins:0=dash.example.com", "Herald:AllowedOrigins entry 'dash.example.com'")]
    [InlineData("--Herald:AllowedHosts:0=https://herald.example.com", "Herald:AllowedHosts entry 'https://herald.example.com' is not a host name")]
    [InlineData("--Herald:AllowClientPublish=sometimes", "Herald:AllowClientPublish")]
    [InlineData("--Herald:PublishQueueCapacity=0", "Herald:PublishQueueCapacity must be at least 1")]
    [InlineData("--Herald:MaxBatchSize=0", "Herald:MaxBatchSize must be at least 1")]
    [InlineData("--Herald:ReplayPageSize=0", "Herald:ReplayPageSize must be at least 1")]
    [InlineData("--Herald:SessionQueueLimit=0", "Herald:SessionQueueLimit must be at least 1")]
    [InlineData("--Herald:SessionMessageTtl=00:00:00", "Herald:SessionMessageTtl must be positive")]
    [InlineData("--Herald:SessionTtl=00:00:00", "Herald:SessionTtl must be positive")]
    [InlineData("--Herald:SessionInboxCapacity=0", "Herald:SessionInboxCapacity must be at least 1")]
    [InlineData("--Herald:Store=postgres", "Herald:Store is 'postgres'; use 'sqlite'")]
    [InlineData("--Herald:Sqlite:Synchronous=Sometimes", "Herald:Sqlite:Synchronous")]
    [InlineData("--Herald:Sqlite:MaxEvents=0", "Herald:Sqlite:MaxEvents (SqliteStoreOptions.MaxEvents) is 0; it must be at least 1")]
    [InlineData("--Herald:Sqlite:MaxAge=00:00:00", "Herald:Sqlite:MaxAge (SqliteStoreOptions.MaxAge) is 00:00:00; it must be positive")]
    [InlineData("--Herald:Sqlite:RetentionInterval=00:00:00", "Herald:Sqlite:RetentionInterval (SqliteStoreOptions.RetentionInterval) is 00:00:00; it must be positive")]
    [InlineData("--Herald:Sqlite:BusyTimeout=00:00:00", "Herald:Sqlite:BusyTimeout (SqliteStoreOptions.BusyTimeout) is 00:00:00; it must be positive")]
    [InlineData("--Herald:Sqlite:Path= ", "Herald:Sqlite:Path (SqliteStoreOptions.Path) must name the database file")]
    [InlineData("--Herald:Metrics:Enabled=maybe", "Herald:Metrics:Enabled")]
    [InlineData("--Herald:Metrics:Path=metrics", "Herald:Metrics:Path must be a path such as /metrics")]
    [InlineData("--Herald:Metrics:Path=/api/metrics", "Herald:Metrics:Path must not be under /api/")]
    [InlineData("--Herald:UniFi:Sources:0:Controller=not-an-address", "Herald:UniFi:Sources:0: A UniFi source needs Controller")]
    [InlineData("--Herald:NodeId=two words", "Herald:NodeId must be 1-64 characters without spaces")]
    [InlineData("--Herald:Auth:Jwt:Secret=too-short", "Herald:Auth:Jwt:Secret must hold at least 32 bytes")]
    [InlineData("--Herald:Auth:Jwt:SecretFile=/nonexistent/secret", "Herald:Auth:Jwt:SecretFile cannot be read as a key")]
    [InlineData("--Herald:Auth:Jwt:PublicKeyFile=/nonexistent/key.pem", "Herald:Auth:Jwt:PublicKeyFile cannot be read as a key")]
    [InlineData("--Herald:Auth:Required=true", "Herald:Auth:Required is on but nothing can authenticate")]
    [InlineData("--Herald:Auth:Jwt:JwksFile=/nonexistent/jwks.json", "Herald:Auth:Jwt:Audience must be set with Herald:Auth:Jwt:JwksFile")]
    [InlineData("--Herald:Auth:Jwt:ClockSkew=-00:00:01", "Herald:Auth:Jwt:ClockSkew must not be negative")]
    [InlineData("--Herald:Auth:RefreshLead=00:00:00", "Herald:Auth:RefreshLead must be positive")]
    [InlineData("--Herald:Auth:ApiKeys:0:Hash=not-a-hash", "Herald:Auth:ApiKeys:0:Hash must be the key's SHA-256")]
    [InlineData("--Herald:Auth:ApiKeys:0:Publish:0=a/#/b", "Herald:Auth:ApiKeys:0 has an invalid topic pattern")]
    [InlineData("--Logging:Format=xml", "Logging:Format (--log-format) is 'xml'; use 'simple' (the default) or 'json'")]
    public async Task ABadValueIsRefusedAtStartUpNamingTheKeyAndWhatItAllows(string setting, string expected)
    {
        var store = setting.StartsWith("--Herald:Sqlite:", StringComparison.Ordinal) || setting.StartsWith("--Herald:Store", StringComparison.Ordinal) ? "sqlite" : "memory";
        using var directory = new TempDirectory();
        string[] args = store == "sqlite" && !setting.StartsWith("--Herald:Sqlite:Path", StringComparison.Ordinal)
            ? ["--Herald:Store=sqlite", $"--Herald:Sqlite:Path={directory.DatabasePath}", setting]
            : ["--Herald:Store=" + store, setting];

        Assert.Contains(expected, await FailureAsync(args), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDefaultsAndAFullyConfiguredServerStart()
    {
        using var directory = new TempDirectory();
        await using var app = await TestServer.StartAsync(
            "--Herald:Store=sqlite", $"--Herald:Sqlite:Path={directory.DatabasePath}", "--Herald:Sqlite:MaxAge=7.00:00:00", "--Herald:Sqlite:Synchronous=Normal",
            "--Herald:AllowedOrigins:0=https://dash.example.com", "--Herald:Metrics:Path=/prom", "--Herald:HeartbeatInterval=00:00:10", "--Logging:Format=json");

        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.Http.GetAsync("prom")).StatusCode);
    }

    /// <summary>Builds and starts the server with <paramref name="args"/> and returns why it refused to.</summary>
    private static async Task<string> FailureAsync(params string[] args)
    {
        try
        {
            await using var app = HeraldServer.Build(["--urls", "http://127.0.0.1:0", "--Herald:Store=memory", .. args]);
            await app.StartAsync().WithTimeout();
            await app.StopAsync().WithTimeout();
        }
        catch (HeraldConfigurationException ex)
        {
            return ex.Message;
        }
        catch (OptionsValidationException ex)
        {
            return ex.Message;
        }

        throw new Xunit.Sdk.XunitException($"The server started with {string.Join(' ', args)}.");
    }

    [GeneratedRegex(@"^\| `(Herald:[A-Za-z0-9:]+)`")]
    private static partial Regex DocumentedKey();

    /// <summary>The <c>:N</c> of a list entry in the reference (<c>Herald:UniFi:Sources:N:Site</c>), not the start of a key such as <c>NodeId</c>.</summary>
    [GeneratedRegex(":N(?=:|$)")]
    private static partial Regex ListIndex();
}
