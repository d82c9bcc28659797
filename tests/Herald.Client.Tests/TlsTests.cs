using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Herald.Server;
using Herald.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Herald.Client.Tests;

public sealed class TlsTests : IAsyncLifetime
{
    private X509Certificate2 _certificate = null!;
    private LoopbackApp _server = null!;

    public async Task InitializeAsync()
    {
        _certificate = CreateSelfSigned();
        var certificate = _certificate;
        _server = await LoopbackApp.StartAsync(
            a => HeraldServer.Build(a, b => b.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)))),
            TestServers.FastHeartbeat);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
    }

    [Fact]
    public async Task ASelfSignedCertificateIsRefusedByDefault()
    {
        await using var client = new HeraldClient(Options());

        await Assert.ThrowsAsync<HeraldClientException>(() => client.ConnectAsync(TestServers.Bounded()));
        Assert.NotNull(client.LastError);
    }

    [Fact]
    public async Task ASelfSignedCertificateIsAcceptedWhenAnyCertificateIsAllowed()
    {
        var options = Options();
        options.AcceptAnyServerCertificate = true;
        await using var client = new HeraldClient(options);

        await client.ConnectAsync(TestServers.Bounded());
        var id = await client.PublishAsync("t", "x", Json.Of("1"), cancellationToken: TestServers.Bounded());

        Assert.Equal(id, (await client.ReadEventsAsync(TestServers.Bounded()).FirstAsync()).Id);
    }

    [Fact]
    public async Task ThePinnedCertificateIsAccepted()
    {
        var options = Options();
        options.PinnedCertificateThumbprint = _certificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant();
        await using var client = new HeraldClient(options);

        await client.ConnectAsync(TestServers.Bounded());

        Assert.Equal(HeraldConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task ACertificateOtherThanThePinnedOneIsRefused()
    {
        using var other = CreateSelfSigned();
        var options = Options();
        options.PinnedCertificateThumbprint = other.GetCertHashString(HashAlgorithmName.SHA256);
        await using var client = new HeraldClient(options);

        await Assert.ThrowsAsync<HeraldClientException>(() => client.ConnectAsync(TestServers.Bounded()));
    }

    private HeraldClientOptions Options() => new()
    {
        ServerUri = _server.BaseAddress,
        MaxReconnectAttempts = 0,
        Since = 0,
    };

    private static X509Certificate2 CreateSelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
