namespace Herald.Internal.Publishing;

/// <summary>Why events to publish were refused: 400 for what is invalid, 413 for what is too large.</summary>
internal sealed record EventInputError(int Status, string Detail);
