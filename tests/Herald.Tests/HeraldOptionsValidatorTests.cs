namespace Herald.Tests;

public sealed class HeraldOptionsValidatorTests
{
    private static readonly HeraldOptionsValidator Validator = new();

    [Fact]
    public void DefaultsAreValid()
    {
        Assert.True(Validator.Validate(null, new HeraldOptions()).Succeeded);
    }

    public static TheoryData<Action<HeraldOptions>, string> BadSettings => new()
    {
        { o => o.HeartbeatInterval = TimeSpan.Zero, "Herald:HeartbeatInterval must be positive" },
        { o => o.SendTimeout = TimeSpan.FromSeconds(-1), "Herald:SendTimeout must be positive" },
        { o => o.CloseTimeout = TimeSpan.Zero, "Herald:CloseTimeout must be positive" },
        { o => o.SessionTtl = TimeSpan.Zero, "Herald:SessionTtl must be positive" },
        { o => o.SessionMessageTtl = TimeSpan.Zero, "Herald:SessionMessageTtl must be positive" },
        { o => o.ClientTimeout = o.HeartbeatInterval, "Herald:ClientTimeout" },
        { o => o.MaxMessageSize = 255, "Herald:MaxMessageSize must be at least 256" },
        { o => o.SendQueueCapacity = 7, "Herald:SendQueueCapacity must be at least 8" },
        { o => o.MaxSubscriptionsPerConnection = 0, "Herald:MaxSubscriptionsPerConnection must be at least 1" },
        { o => o.MaxTopicDepth = 0, "Herald:MaxTopicDepth must be at least 1" },
        { o => o.ClientFrameRate = -1, "Herald:ClientFrameRate must be at least 0" },
        { o => o.ClientFrameBurst = 0, "Herald:ClientFrameBurst must be at least 1" },
        { o => o.MaxRateLimitedFrames = 0, "Herald:MaxRateLimitedFrames must be at least 1" },
        { o => o.RateLimitWindow = TimeSpan.Zero, "Herald:RateLimitWindow must be positive" },
        { o => o.PublishQueueCapacity = 0, "Herald:PublishQueueCapacity" },
        { o => o.MaxBatchSize = 0, "Herald:MaxBatchSize" },
        { o => o.ReplayPageSize = 0, "Herald:ReplayPageSize" },
        { o => o.SessionQueueLimit = 0, "Herald:SessionQueueLimit" },
        { o => o.SessionInboxCapacity = 0, "Herald:SessionInboxCapacity" },
        { o => o.MaxConnectionsPerAddress = 0, "Herald:MaxConnectionsPerAddress must be at least 1" },
        { o => o.MaxHttpConnectionsPerAddress = 0, "Herald:MaxHttpConnectionsPerAddress must be at least 1" },
        { o => o.RateLimit.RequestsPerSecond = 0, "Herald:RateLimit:RequestsPerSecond must be at least 1" },
        { o => o.RateLimit.Burst = 0, "Herald:RateLimit:Burst must be at least 1" },
        { o => o.MaxEventSize = 0, "Herald:MaxEventSize must be at least 1" },
        { o => o.MaxEventTypeLength = 0, "Herald:MaxEventTypeLength must be at least 1" },
        { o => o.MaxEventSourceLength = 0, "Herald:MaxEventSourceLength must be at least 1" },
        { o => o.MaxEventsPerRequest = 0, "Herald:MaxEventsPerRequest must be at least 1" },
        { o => o.MaxPublishBodySize = o.MaxEventSize - 1, "Herald:MaxPublishBodySize (1048575) must be at least Herald:MaxEventSize (1048576)" },
        { o => o.MaxHistoryPageSize = 0, "Herald:MaxHistoryPageSize must be at least 1" },
        { o => o.MaxHistoryResponseSize = 0, "Herald:MaxHistoryResponseSize must be at least 1" },
        { o => o.AllowedOrigins.Add("dash.example.com"), "'dash.example.com'" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void BadSettingIsNamedInTheFailure(Action<HeraldOptions> change, string expected)
    {
        var options = new HeraldOptions();
        change(options);

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryBadSettingIsReportedAtOnce()
    {
        var options = new HeraldOptions { MaxMessageSize = 1, SendQueueCapacity = 1 };

        var result = Validator.Validate(null, options);

        Assert.Equal(2, result.Failures!.Count());
    }

    [Fact]
    public void WildcardAndAbsoluteOriginsAreAccepted()
    {
        var options = new HeraldOptions();
        options.AllowedOrigins.Add("*");
        options.AllowedOrigins.Add("https://dash.example.com");

        Assert.True(Validator.Validate(null, options).Succeeded);
    }
}
