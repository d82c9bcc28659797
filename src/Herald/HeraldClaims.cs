namespace Herald;

/// <summary>
/// The claims Herald reads from an authenticated user (a JWT's payload, an API key's configuration, or any
/// ASP.NET Core authentication scheme's <c>ClaimsPrincipal</c>). docs/protocol.md ("Authentication") lists them.
/// </summary>
public static class HeraldClaims
{
    /// <summary>The subject: who the user is, and so who owns the sessions it creates (<c>sub</c>).</summary>
    public const string Subject = "sub";

    /// <summary>A topic pattern the user may subscribe to and read history of; one claim per pattern (a JSON array in a JWT).</summary>
    public const string Subscribe = "herald.subscribe";

    /// <summary>A topic pattern the user may publish to; one claim per pattern.</summary>
    public const string Publish = "herald.publish";

    /// <summary><c>true</c> when the user may send direct messages to sessions (<c>POST /api/sessions/{id}/messages</c>).</summary>
    public const string Messages = "herald.messages";

    /// <summary><c>true</c> when the user may administer the hub: list and close connections, end sessions, read metrics.</summary>
    public const string Admin = "herald.admin";
}
