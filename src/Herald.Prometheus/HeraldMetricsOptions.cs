namespace Herald.Prometheus;

/// <summary>
/// The Prometheus endpoint of the standalone server, bound from <c>Herald:Metrics</c>. An embedding app calls
/// <c>MapHeraldMetrics(path)</c> itself and needs none of this.
/// </summary>
public sealed class HeraldMetricsOptions
{
    /// <summary>The configuration section the standalone server binds: <c>Herald:Metrics</c>.</summary>
    public const string SectionName = "Herald:Metrics";

    /// <summary>The path served when none is configured: <c>/metrics</c>, where Prometheus looks by default.</summary>
    public const string DefaultPath = "/metrics";

    /// <summary>Whether the server maps the endpoint. Default <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The endpoint's path: starts with <c>/</c>, not under <c>/api/</c> or <c>/ws/</c>. Default <c>/metrics</c>.</summary>
    public string Path { get; set; } = DefaultPath;
}
