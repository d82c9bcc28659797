namespace Herald;

/// <summary>What a token made by <see cref="HeraldTokens.Create"/> says: who it is for, its grants and how long it lasts.</summary>
public sealed record HeraldTokenRequest
{
    /// <summary>The subject (<c>sub</c>): the user, and owner of the sessions it creates. Required.</summary>
    public required string Subject { get; init; }

    /// <summary>Topic patterns the holder may subscribe to (<see cref="HeraldClaims.Subscribe"/>). Default: none.</summary>
    public IReadOnlyList<string> Subscribe { get; init; } = [];

    /// <summary>Topic patterns the holder may publish to (<see cref="HeraldClaims.Publish"/>). Default: none.</summary>
    public IReadOnlyList<string> Publish { get; init; } = [];

    /// <summary>Whether the holder may send direct messages (<see cref="HeraldClaims.Messages"/>). Default <see langword="false"/>.</summary>
    public bool Messages { get; init; }

    /// <summary>Whether the holder administers the hub (<see cref="HeraldClaims.Admin"/>). Default <see langword="false"/>.</summary>
    public bool Admin { get; init; }

    /// <summary>How long the token is valid from <see cref="NotBefore"/> (<c>exp</c>). Default one hour.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>When the token starts being valid (<c>nbf</c>); now when <see langword="null"/> (the default).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The issuer (<c>iss</c>), when the server checks one. Default: none.</summary>
    public string? Issuer { get; init; }

    /// <summary>The audience (<c>aud</c>), when the server checks one. Default: none.</summary>
    public string? Audience { get; init; }
}
