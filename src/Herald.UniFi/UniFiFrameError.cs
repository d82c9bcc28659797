namespace Herald.UniFi;

/// <summary>Why a whole frame was skipped.</summary>
public enum UniFiFrameError
{
    /// <summary>The frame was read; individual entries may still have been skipped.</summary>
    None,

    /// <summary>The frame had no bytes, or only whitespace.</summary>
    Empty,

    /// <summary>The frame was larger than <see cref="UniFiParserOptions.MaxFrameBytes"/> and was not parsed.</summary>
    Oversized,

    /// <summary>The frame was not well-formed JSON.</summary>
    InvalidJson,

    /// <summary>The frame was JSON but not an object.</summary>
    NotAnObject,

    /// <summary>The frame had no <c>meta</c> object with a string <c>message</c>.</summary>
    MissingMeta,

    /// <summary><c>meta.rc</c> was present and not <c>ok</c>: the controller reported an error.</summary>
    NotOk,

    /// <summary>A WiFi frame's <c>data</c> was missing or neither an array nor an object.</summary>
    InvalidData,
}
