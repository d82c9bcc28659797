namespace Herald.Dashboard;

/// <summary>
/// What the caller of <c>GET /api/me</c> may do, so a user interface can hide what the server would refuse.
/// Served as <c>{"user":null,"grants":["publish","admin"]}</c>.
/// </summary>
/// <param name="User">The caller's name, or <see langword="null"/> when the request is anonymous.</param>
/// <param name="Grants">The caller's grants, names from <see cref="HeraldGrants"/>; unknown names are ignored by the dashboard.</param>
/// <remarks>
/// This describes what the server allows; it does not enforce anything. Herald has no authentication yet,
/// so by default every caller is anonymous with every grant (<see cref="Everything"/>).
/// </remarks>
public sealed record HeraldCapabilities(string? User, IReadOnlyList<string> Grants)
{
    /// <summary>An anonymous caller with every grant: what a server without authentication allows.</summary>
    public static HeraldCapabilities Everything { get; } = new(null, [HeraldGrants.Publish, HeraldGrants.Admin]);

    /// <summary>Whether <see cref="Grants"/> holds <paramref name="grant"/> (ordinal comparison).</summary>
    /// <param name="grant">A name from <see cref="HeraldGrants"/>.</param>
    public bool Has(string grant) => Grants.Contains(grant, StringComparer.Ordinal);
}
