using Microsoft.Extensions.Options;

namespace Herald;

/// <summary>Checks <see cref="HeraldOptions"/> at start-up so a bad setting fails fast with a clear message.</summary>
public sealed class HeraldOptionsValidator : IValidateOptions<HeraldOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HeraldOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Positive(options.HeartbeatInterval, nameof(options.HeartbeatInterval));
        Positive(options.ClientTimeout, nameof(options.ClientTimeout));
        Positive(options.SendTimeout, nameof(options.SendTimeout));
        Positive(options.CloseTimeout, nameof(options.CloseTimeout));
        Positive(options.SessionMessageTtl, nameof(options.SessionMessageTtl));
        Positive(options.SessionTtl, nameof(options.SessionTtl));
        if (options.ClientTimeout <= options.HeartbeatInterval)
        {
            failures.Add($"Herald:ClientTimeout ({options.ClientTimeout}) must be longer than Herald:HeartbeatInterval ({options.HeartbeatInterval}).");
        }

        AtLeast(options.MaxMessageSize, 256, nameof(options.MaxMessageSize));
        if (options.MaxConnections is { } maxConnections)
        {
            AtLeast(maxConnections, 1, nameof(options.MaxConnections));
        }

        AtLeast(options.MaxConnectionsPerAddress, 1, nameof(options.MaxConnectionsPerAddress));
        AtLeast(options.MaxHttpConnectionsPerAddress, 1, nameof(options.MaxHttpConnectionsPerAddress));
        AtLeast(options.MaxEventSize, 1, nameof(options.MaxEventSize));
        AtLeast(options.MaxEventTypeLength, 1, nameof(options.MaxEventTypeLength));
        AtLeast(options.MaxEventSourceLength, 1, nameof(options.MaxEventSourceLength));
        AtLeast(options.MaxEventsPerRequest, 1, nameof(options.MaxEventsPerRequest));
        if (options.MaxPublishBodySize < options.MaxEventSize)
        {
            failures.Add($"Herald:MaxPublishBodySize ({options.MaxPublishBodySize}) must be at least Herald:MaxEventSize ({options.MaxEventSize}).");
        }

        AtLeast(options.MaxHistoryPageSize, 1, nameof(options.MaxHistoryPageSize));
        AtLeast(options.MaxHistoryResponseSize, 1, nameof(options.MaxHistoryResponseSize));
        AtLeast(options.RateLimit.RequestsPerSecond, 1, "RateLimit:" + nameof(options.RateLimit.RequestsPerSecond));
        AtLeast(options.RateLimit.Burst, 1, "RateLimit:" + nameof(options.RateLimit.Burst));
        AtLeast(options.MaxSubscriptionsPerConnection, 1, nameof(options.MaxSubscriptionsPerConnection));
        AtLeast(options.MaxTopicDepth, 1, nameof(options.MaxTopicDepth));
        AtLeast(options.ClientFrameRate, 0, nameof(options.ClientFrameRate));
        AtLeast(options.ClientFrameBurst, 1, nameof(options.ClientFrameBurst));
        AtLeast(options.MaxRateLimitedFrames, 1, nameof(options.MaxRateLimitedFrames));
        Positive(options.RateLimitWindow, nameof(options.RateLimitWindow));
        AtLeast(options.SendQueueCapacity, 8, nameof(options.SendQueueCapacity));
        AtLeast(options.PublishQueueCapacity, 1, nameof(options.PublishQueueCapacity));
        AtLeast(options.MaxBatchSize, 1, nameof(options.MaxBatchSize));
        AtLeast(options.ReplayPageSize, 1, nameof(options.ReplayPageSize));
        AtLeast(options.SessionQueueLimit, 1, nameof(options.SessionQueueLimit));
        AtLeast(options.SessionInboxCapacity, 1, nameof(options.SessionInboxCapacity));
        if (string.IsNullOrWhiteSpace(options.NodeId) || options.NodeId.Length > 64 || options.NodeId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            failures.Add($"Herald:NodeId must be 1-64 characters without spaces; it is '{options.NodeId}'.");
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (origin != "*" && !Uri.TryCreate(origin, UriKind.Absolute, out _))
            {
                failures.Add($"Herald:AllowedOrigins entry '{origin}' is neither '*' nor an absolute origin such as https://dash.example.com.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(TimeSpan value, string setting)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"Herald:{setting} must be positive; it is {value}.");
            }
        }

        void AtLeast(int value, int minimum, string setting)
        {
            if (value < minimum)
            {
                failures.Add($"Herald:{setting} must be at least {minimum}; it is {value}.");
            }
        }
    }
}
