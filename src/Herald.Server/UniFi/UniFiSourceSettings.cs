using Herald.UniFi;

namespace Herald.Server.UniFi;

/// <summary>
/// One UniFi controller for <c>herald serve</c> to follow, bound from <c>Herald:UniFi:Sources:N</c>.
/// The password comes from <see cref="PasswordFile"/> or <see cref="Password"/> (for example the
/// environment variable <c>HERALD__UNIFI__SOURCES__0__PASSWORD</c>); it is never logged.
/// </summary>
public sealed class UniFiSourceSettings
{
    /// <summary>The controller's address, such as <c>https://192.168.1.1</c> or <c>https://unifi.lan:8443</c>. Required.</summary>
    public string? Controller { get; set; }

    /// <summary>The site's short name; <c>default</c> unless changed. Events go to <c>unifi/{site}/wifi</c>.</summary>
    public string Site { get; set; } = "default";

    /// <summary>The controller account (a read-only local account is enough). Required.</summary>
    public string? Username { get; set; }

    /// <summary>The password; prefer <see cref="PasswordFile"/>.</summary>
    public string? Password { get; set; }

    /// <summary>A file whose first line is the password.</summary>
    public string? PasswordFile { get; set; }

    /// <summary><c>UniFiOs</c> or <c>Classic</c>; detected when not set (the default).</summary>
    public UniFiControllerKind? Kind { get; set; }

    /// <summary>Accept any TLS certificate (self-signed lab controllers). Default <see langword="false"/>.</summary>
    public bool Insecure { get; set; }

    /// <summary>Accept only the certificate with this SHA-256 thumbprint (hex). Default: system validation.</summary>
    public string? CertificateSha256 { get; set; }

    /// <summary>The source's options; reads the password file.</summary>
    /// <exception cref="InvalidOperationException">A setting is missing or the password file cannot be read.</exception>
    public UniFiControllerOptions ToOptions()
    {
        if (!Uri.TryCreate(Controller, UriKind.Absolute, out var controller))
        {
            throw new InvalidOperationException($"A UniFi source needs Controller, an absolute address such as https://192.168.1.1 (got '{Controller}').");
        }

        var options = new UniFiControllerOptions
        {
            Controller = controller,
            Site = Site,
            Username = Username ?? string.Empty,
            Password = ReadPassword(PasswordFile, Password),
            Kind = Kind,
            AcceptAnyCertificate = Insecure,
            PinnedCertificateSha256 = CertificateSha256,
        };
        options.Validate();
        return options;
    }

    /// <summary>The password from a file (its first line) or given directly; the file wins.</summary>
    /// <exception cref="InvalidOperationException">Neither is set, or the file cannot be read.</exception>
    public static string ReadPassword(string? passwordFile, string? password)
    {
        if (!string.IsNullOrEmpty(passwordFile))
        {
            try
            {
                return File.ReadLines(passwordFile).FirstOrDefault()?.Trim() ?? string.Empty;
            }
            catch (IOException ex)
            {
                throw new InvalidOperationException($"The UniFi password file '{passwordFile}' cannot be read: {ex.Message}", ex);
            }
        }

        return !string.IsNullOrEmpty(password)
            ? password
            : throw new InvalidOperationException("A UniFi source needs a password: a password file, or the password in configuration or an environment variable.");
    }
}
