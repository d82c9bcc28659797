namespace Herald.Internal.Protocol;

/// <summary>The <c>code</c> values of <c>error</c> frames (docs/protocol.md lists them).</summary>
internal static class ErrorCodes
{
    public const string BadRequest = "bad_request";
    public const string Forbidden = "forbidden";
    public const string Unavailable = "unavailable";
    public const string Busy = "busy";
    public const string InvalidResumeToken = "invalid_resume_token";
    public const string Unauthorized = "unauthorized";
    public const string RateLimited = "rate_limited";
    public const string TooManySubscriptions = "too_many_subscriptions";
    public const string TopicTooDeep = "topic_too_deep";
}
