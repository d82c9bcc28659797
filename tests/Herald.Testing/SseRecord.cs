namespace Herald.Testing;

/// <summary>One Server-Sent Events record as a client sees it: the fields of the lines before a blank line.</summary>
/// <param name="Id">The <c>id:</c> field, or null when the record has none.</param>
/// <param name="Event">The <c>event:</c> field; null means an unnamed record, which <c>EventSource.onmessage</c> receives.</param>
/// <param name="Data">The <c>data:</c> field.</param>
/// <param name="Comment">A comment line (<c>: ping</c>), without the colon.</param>
public sealed record SseRecord(string? Id = null, string? Event = null, string? Data = null, string? Comment = null);
