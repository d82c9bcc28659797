using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Herald.UniFi.Internal;

/// <summary>
/// The one certificate policy for the login requests and the WebSocket: normal validation, any certificate
/// (<see cref="UniFiControllerOptions.AcceptAnyCertificate"/>) or one pinned certificate.
/// </summary>
internal sealed class UniFiTls
{
    private readonly bool _acceptAny;
    private readonly string? _pinned;
    private string? _lastRefusal;

    public UniFiTls(UniFiControllerOptions options)
    {
        _acceptAny = options.AcceptAnyCertificate;
        _pinned = options.PinnedCertificateSha256 is { } pin ? UniFiControllerOptions.NormalizeThumbprint(pin) : null;
    }

    /// <summary>Why the last certificate was refused, for error messages; never reset.</summary>
    public string? LastRefusal => Volatile.Read(ref _lastRefusal);

    public bool Validate(object? sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_acceptAny)
        {
            return true;
        }

        if (_pinned is not null)
        {
            if (certificate is null)
            {
                return Refuse("the controller presented no certificate");
            }

            var actual = certificate.GetCertHashString(HashAlgorithmName.SHA256);
            return string.Equals(actual, _pinned, StringComparison.OrdinalIgnoreCase)
                || Refuse($"its SHA-256 thumbprint is {actual}, not the pinned one");
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        var thumbprint = certificate?.GetCertHashString(HashAlgorithmName.SHA256) ?? "(none)";
        return Refuse($"{errors}; controllers often use self-signed certificates: pin this one's SHA-256 thumbprint {thumbprint} (PinnedCertificateSha256) or accept any certificate (AcceptAnyCertificate, --insecure)");
    }

    private bool Refuse(string reason)
    {
        Volatile.Write(ref _lastRefusal, reason);
        return false;
    }
}
