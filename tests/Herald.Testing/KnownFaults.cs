namespace Herald.Testing;

/// <summary>Faults known and fixed on another branch: the reasons of the tests that stay skipped until it is merged.</summary>
public static class KnownFaults
{
    /// <summary>EventInput reads strings with <c>GetString</c>, which throws on invalid text; REST answers 500.</summary>
    public const string EventInputInvalidText =
        "EventInput throws InvalidOperationException on a lone surrogate escape or invalid UTF-8 in a property name or in topic, type, time or source, "
        + "so POST /api/events answers 500; EventInput is fixed on the HTTP branch. Remove this skip once it is merged.";

    /// <summary>Minimal API binding failures answer a bare 400.</summary>
    public const string HistoryBindingWithoutProblemDetails =
        "GET /api/events with 'after', 'before' or 'limit' that are empty or not integers of their type (1.5, 1e400, 0x10, 9223372036854775808) answers 400 "
        + "with an empty body, not problem details: HeraldApi binds them as long?/int? and ASP.NET Core writes no body for a binding failure. Owned by the HTTP work.";
}
