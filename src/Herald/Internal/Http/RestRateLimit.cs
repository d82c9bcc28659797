using System.Globalization;
using System.Threading.RateLimiting;
using Herald.Internal.Connections;
using Herald.Internal.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Herald.Internal.Http;

/// <summary>
/// The REST API's rate limit (<see cref="HeraldRateLimitOptions"/>), as an ASP.NET Core rate limiter policy: a token
/// bucket per authenticated user (<c>HttpContext.User</c>, as authentication set it before the limiter ran) and, for
/// everyone else, per remote address. A request past it is answered 429 with <c>Retry-After</c> and problem details.
/// </summary>
internal sealed class RestRateLimit(IOptions<HeraldOptions> options) : IRateLimiterPolicy<RateLimitKey>
{
    /// <summary>The policy's name, which <c>MapHerald()</c> puts on the <c>/api</c> endpoints.</summary>
    public const string PolicyName = "Herald";

    private static readonly RateLimitKey Unlimited = new("*", AddressKey.Unknown);

    private readonly HeraldRateLimitOptions _limit = options.Value.RateLimit;

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = RejectAsync;

    public RateLimitPartition<RateLimitKey> GetPartition(HttpContext httpContext)
    {
        if (!_limit.Enabled)
        {
            return RateLimitPartition.GetNoLimiter(Unlimited);
        }

        var user = httpContext.User;
        var key = user.Identity?.IsAuthenticated == true && HeraldUser.SubjectOf(user) is { } subject
            ? new RateLimitKey(subject, default)
            : new RateLimitKey(null, AddressKey.Of(httpContext.Connection.RemoteIpAddress));
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = _limit.Burst,
            TokensPerPeriod = _limit.RequestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        var http = context.HttpContext;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.Write(http, StatusCodes.Status429TooManyRequests, "Too many requests", $"This client sent more requests than Herald:RateLimit allows; retry after {seconds} s.").ConfigureAwait(false);
    }
}
