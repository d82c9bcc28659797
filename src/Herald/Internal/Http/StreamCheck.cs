namespace Herald.Internal.Http;

/// <summary>The outcome of <see cref="StreamRequest.Check"/>: the topics and resume position, or a refusal.</summary>
internal readonly record struct StreamCheck(IReadOnlyList<TopicFilter>? Filters, long? Since, Refusal? Refusal)
{
    public StreamCheck(IReadOnlyList<TopicFilter> filters, long? since)
        : this(filters, since, null)
    {
    }

    public StreamCheck(Refusal refusal)
        : this(null, null, refusal)
    {
    }
}
