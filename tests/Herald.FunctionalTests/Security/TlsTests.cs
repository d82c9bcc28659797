using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Herald.Server;
using Herald.Testing;

namespace Herald.FunctionalTests.Security;

/// <summary>HTTPS and WSS with a certificate from Kestrel's configuration; the WebSocket then takes ASP.NET Core's path.</summary>
public sealed class TlsTests
{
    private const string CertificatePassword = "functional-tests-certificate-password";

    [Fact]
    public async Task AClientConnectsOverWssAndPublishesOverHttpsWithTheConfiguredCertificate()
    {
        SecretScanner.Register(CertificatePassword);
        using var directory = new TempDirectory();
        using var certificate = SelfSigned();
        var path = Path.Combine(directory.Path, "herald.pfx");
        await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, CertificatePassword));
        await using var app = await LoopbackApp.StartAsync(
            a => HeraldServer.Build(a),
            "--Logging:LogLevel:Default=Warning",
            "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0",
            $"--Kestrel:Endpoints:Https:Certificate:Path={path}",
            $"--Kestrel:Endpoints:Https:Certificate:Password={CertificatePassword}");
        Assert.Equal("https", app.BaseAddress.Scheme);

        var uri = new Uri($"wss://{app.BaseAddress.Authority}/ws/events?topics=secure/%23");
        var (socket, welcome) = await JsonSocket.ConnectWelcomedAsync(uri, o => o.RemoteCertificateValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == certificate.GetCertHashString());
        await using (socket)
        {
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.GetCertHashString() == certificate.GetCertHashString() };
            using var https = new HttpClient(handler) { BaseAddress = app.BaseAddress, Timeout = Timeouts.Default };
            using var published = await https.PostAsync("api/events", new StringContent("""{"topic":"secure/a","type":"t"}""", System.Text.Encoding.UTF8, "application/json"));

            Assert.Equal("welcome", welcome.Type());
            Assert.Equal(System.Net.HttpStatusCode.Created, published.StatusCode);
            Assert.Equal("secure/a", (await socket.ReceiveEventAsync()).EventTopic());
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
