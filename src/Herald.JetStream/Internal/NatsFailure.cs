using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Herald.JetStream.Internal;

/// <summary>Which exceptions from the NATS client mean "NATS is unreachable or did not answer".</summary>
internal static class NatsFailure
{
    /// <summary>
    /// True for the client's own errors and for a request it timed out itself: the client ends a request that got no
    /// answer with <see cref="OperationCanceledException"/> although the caller's token was not cancelled, which is an
    /// outage, not the caller giving up.
    /// </summary>
    public static bool IsUnavailable(Exception ex, CancellationToken cancellationToken)
        => ex is NatsException or NatsJSException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
