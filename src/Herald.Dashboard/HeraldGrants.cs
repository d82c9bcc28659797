namespace Herald.Dashboard;

/// <summary>The grant names a <see cref="HeraldCapabilities"/> document lists.</summary>
public static class HeraldGrants
{
    /// <summary>May publish events (<c>POST /api/events</c>); the dashboard shows its publish form.</summary>
    public const string Publish = "publish";

    /// <summary>
    /// May act on the server as its operator (<c>DELETE /api/connections/{id}</c>); the dashboard shows the
    /// action to close a connection.
    /// </summary>
    public const string Admin = "admin";
}
