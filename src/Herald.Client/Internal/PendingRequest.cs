using System.Text.Json;

namespace Herald.Client.Internal;

/// <summary>A frame sent with a <c>ref</c>, waiting for its answer.</summary>
/// <param name="Answer">Completed with the answer frame, or failed with the server's error.</param>
/// <param name="CompleteOnDisconnect">
/// Whether a lost connection completes it successfully (subscriptions: the reconnect applies them) rather
/// than failing it (messages).
/// </param>
internal sealed record PendingRequest(TaskCompletionSource<JsonElement> Answer, bool CompleteOnDisconnect);
