namespace Herald;

/// <summary>
/// One API key (<c>Herald:Auth:ApiKeys:N</c>), sent as <c>Authorization: Bearer KEY</c>. Only its SHA-256 is configured
/// (<c>herald key create</c> prints a new key and its hash), so configuration never holds a usable key.
/// </summary>
public sealed class HeraldApiKeyOptions
{
    /// <summary>The key's name; the user it authenticates is <c>key:NAME</c>. Required.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The SHA-256 of the key, as 64 hexadecimal digits. Required.</summary>
    public string Hash { get; set; } = string.Empty;

    /// <summary>Topic patterns the key may subscribe to and read. Default: none.</summary>
    public IList<string> Subscribe { get; } = [];

    /// <summary>Topic patterns the key may publish to. Default: none.</summary>
    public IList<string> Publish { get; } = [];

    /// <summary>Whether the key may send direct messages to sessions. Default <see langword="false"/>.</summary>
    public bool Messages { get; set; }

    /// <summary>Whether the key administers the hub (connections, sessions, metrics). Default <see langword="false"/>.</summary>
    public bool Admin { get; set; }
}
