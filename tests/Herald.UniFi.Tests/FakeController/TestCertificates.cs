using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Herald.UniFi.Tests.FakeController;

/// <summary>Self-signed certificates for loopback, as controllers ship them.</summary>
internal static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> SharedCertificate = new(() => Create("CN=unifi"));

    /// <summary>One certificate reused by every fake (key generation is not free).</summary>
    public static X509Certificate2 Shared => SharedCertificate.Value;

    /// <summary>A new self-signed certificate for 127.0.0.1 and localhost, with its private key usable by Kestrel.</summary>
    public static X509Certificate2 Create(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        // Round-trip through PFX so the private key is a persisted one that TLS on every platform can use.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    /// <summary>The SHA-256 thumbprint in hex, as <c>openssl x509 -fingerprint -sha256</c> shows it (with colons).</summary>
    public static string Sha256(X509Certificate2 certificate)
        => string.Join(':', Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(c => new string(c)));
}
