namespace Herald.UniFi.Internal;

/// <summary>What <see cref="UniFiSocketReader.ReadAsync"/> returned.</summary>
internal enum SocketMessageKind
{
    /// <summary>A whole message within the size limit, in <see cref="UniFiSocketReader.Frame"/>.</summary>
    Frame,

    /// <summary>A message over the limit, read to its end and discarded; its size is <see cref="UniFiSocketReader.OversizedLength"/>.</summary>
    Oversized,

    /// <summary>The controller closed the connection.</summary>
    Closed,
}
