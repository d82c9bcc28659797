namespace Herald.Internal.Http;

/// <summary>Why a connection request is refused, as a problem-details answer.</summary>
internal sealed record Refusal(int Status, string Title, string Detail);
