namespace Herald;

/// <summary>
/// The REST API's rate limit (<c>Herald:RateLimit</c>): a token bucket per authenticated user (its subject, such as
/// <c>key:NAME</c> for an API key) and, for requests without a user, per remote address (an IPv6 address by its /64
/// prefix). A request past it is answered 429 with <c>Retry-After</c> and a problem-details body. ASP.NET Core's rate
/// limiter applies it: <c>MapHerald()</c> marks the <c>/api</c> endpoints and the app calls <c>UseRateLimiter()</c>
/// (<c>herald serve</c> does).
/// </summary>
public sealed class HeraldRateLimitOptions
{
    /// <summary>Whether the REST API is rate limited. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests each user or address may make per second, sustained. Default 1,000.</summary>
    public int RequestsPerSecond { get; set; } = 1000;

    /// <summary>Requests each user or address may make at once after a quiet spell (the bucket's size). Default 2,000; at least 1.</summary>
    public int Burst { get; set; } = 2000;
}
