using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Herald.Internal.Publishing;

/// <summary>
/// The idempotency key of one publish request (the <c>Idempotency-Key</c> header, or a <c>publish</c> frame's
/// <c>idempotencyKey</c>) given to its events: a single event takes the key itself, the events of a batch take
/// <c>key:0</c>, <c>key:1</c>, …, so a retried batch is stored once, event by event.
/// </summary>
internal static class PublishKey
{
    /// <summary>The longest key a request may carry: room is left for the batch index.</summary>
    public const int MaxLength = NewEvent.MaxIdempotencyKeyLength - 8;

    public static bool TryApply(List<NewEvent> events, string? key, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (key is null)
        {
            return true;
        }

        if (key.Length > MaxLength || !NewEvent.IsValidIdempotencyKey(key))
        {
            error = $"An idempotency key is 1 to {MaxLength} printable ASCII characters.";
            return false;
        }

        for (var i = 0; i < events.Count; i++)
        {
            events[i] = events[i].WithIdempotencyKey(events.Count == 1 ? key : key + ":" + i.ToString(CultureInfo.InvariantCulture));
        }

        return true;
    }
}
