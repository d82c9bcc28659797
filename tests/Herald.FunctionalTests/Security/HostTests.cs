using Herald.Server;
using Herald.Testing;
using Microsoft.Extensions.Configuration;

namespace Herald.FunctionalTests.Security;

/// <summary>
/// DNS rebinding: a page on a domain that resolves to Herald's address sends that domain as <c>Host</c>, and is refused on
/// every path, the socket paths below ASP.NET Core included.
/// </summary>
public sealed class HostTests
{
    [Theory]
    [MemberData(nameof(AuthenticationTests.ListenerPaths), MemberType = typeof(AuthenticationTests))]
    public async Task ARequestNamingAnotherHostIsRefusedWith400OnEveryPath(string path)
    {
        await using var app = await TestServer.StartAsync(path);
        var port = app.BaseAddress.Port;

        var upgrade = await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events", ("Host", $"rebind.evil.example:{port}"));
        var rest = await RawHttp.SendAsync(app.BaseAddress, $"GET /api/health HTTP/1.1\r\nHost: rebind.evil.example:{port}");
        var loopback = await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events", ("Host", $"localhost:{port}"));

        Assert.Equal(400, upgrade.StatusCode);
        Assert.Equal(400, rest.StatusCode);
        Assert.Equal(101, loopback.StatusCode);
    }

    [Theory]
    [MemberData(nameof(AuthenticationTests.ListenerPaths), MemberType = typeof(AuthenticationTests))]
    public async Task ConfiguredHostsAreAllowedBesideLoopbackOnes(string path)
    {
        await using var app = await TestServer.StartAsync(path, "--Herald:AllowedHosts:0=herald.example.com", "--Herald:AllowedHosts:1=*.herald.example.com");

        Assert.Equal(101, (await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events", ("Host", "herald.example.com"))).StatusCode);
        Assert.Equal(101, (await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events", ("Host", "eu.herald.example.com:8000"))).StatusCode);
        Assert.Equal(101, (await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events", ("Host", "[::1]"))).StatusCode);
        Assert.Equal(400, (await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events", ("Host", "herald.example.com.evil.example"))).StatusCode);
        Assert.Equal(400, (await RawHttp.SendAsync(app.BaseAddress, "GET /api/health HTTP/1.1\r\nHost: evil.example")).StatusCode);
    }

    [Fact]
    public async Task AStarAllowsAnyHost()
    {
        await using var app = await TestServer.StartAsync("--Herald:AllowedHosts:0=*");

        Assert.Equal(101, (await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events", ("Host", "anything.example"))).StatusCode);
    }

    [Fact]
    public async Task WithAuthenticationOnAnyHostIsServedSinceARebindingPageHoldsNoCredentials()
    {
        await using var app = await AuthServer.StartAsync();

        var answer = await RawUpgrade.SendAsync(app.BaseAddress, "/ws/events", ("Host", "herald.example.com"));

        Assert.Equal(401, answer.StatusCode);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8000", new[] { "localhost", "127.0.0.1", "[::1]" }, false)]
    [InlineData("http://192.0.2.7:8000", new[] { "localhost", "127.0.0.1", "[::1]", "192.0.2.7" }, false)]
    [InlineData("http://0.0.0.0:8000", new[] { "localhost", "127.0.0.1", "[::1]" }, true)]
    [InlineData("http://herald.lan:8000;http://[::1]:8001", new[] { "localhost", "127.0.0.1", "[::1]", "herald.lan" }, true)]
    public void ByDefaultTheHostsOfTheListenAddressesAreAllowedAndThisMachinesForOnesBindingEveryAddress(string urls, string[] expected, bool thisMachine)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("urls", urls)]).Build();

        var hosts = AllowedHosts.For(configuration, [], authenticated: false);

        Assert.Equal(expected, hosts.Take(expected.Length));
        Assert.Equal(thisMachine, hosts.Contains(Environment.MachineName));
        Assert.DoesNotContain("*", hosts);
        Assert.Equal(["*"], AllowedHosts.For(configuration, [], authenticated: true));
        Assert.Equal(["localhost", "127.0.0.1", "[::1]", "herald.example.com"], AllowedHosts.For(configuration, ["herald.example.com"], authenticated: true));
    }
}
