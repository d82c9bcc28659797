using Microsoft.Net.Http.Headers;

namespace Herald.Dashboard.Internal;

/// <summary>One file of the dashboard, held in memory as embedded in the assembly.</summary>
/// <param name="Path">The path under <c>wwwroot/</c>, such as <c>dashboard/app.js</c>.</param>
/// <param name="Content">The file's bytes.</param>
/// <param name="ContentType">The media type it is served with.</param>
/// <param name="ETag">A strong entity tag from the content's hash, for conditional requests.</param>
internal sealed record DashboardAsset(string Path, byte[] Content, string ContentType, EntityTagHeaderValue ETag);
