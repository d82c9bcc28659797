namespace Herald.UniFi;

/// <summary>The two kinds of UniFi Network controller, which differ in login path, cookies and URLs.</summary>
public enum UniFiControllerKind
{
    /// <summary>
    /// A UniFi OS console (UDM, UCG, Cloud Key Gen2+, UniFi OS Server): answers <c>GET /</c> with 200, logs in at
    /// <c>/api/auth/login</c> (cookie <c>TOKEN</c> plus an <c>x-csrf-token</c> header) and serves the Network
    /// application under <c>/proxy/network</c>.
    /// </summary>
    UniFiOs,

    /// <summary>
    /// A classic self-hosted Network controller (usually port 8443): answers <c>GET /</c> with a redirect to
    /// <c>/manage</c>, logs in at <c>/api/login</c> (cookies <c>unifises</c> and <c>csrf_token</c>).
    /// </summary>
    Classic,
}
