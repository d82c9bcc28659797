namespace Herald.Server;

/// <summary>How <c>herald serve</c> writes its log lines to the console (<c>Logging:Format</c>, or <c>--log-format</c>).</summary>
public enum LogFormat
{
    /// <summary>ASP.NET Core's readable console lines. The default.</summary>
    Simple,

    /// <summary>One JSON object per line (ASP.NET Core's JSON console formatter), with scopes and UTC timestamps.</summary>
    Json,
}
