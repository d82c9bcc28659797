namespace Herald.Internal.Http;

/// <summary>Why a connection request is refused, as a problem-details answer.</summary>
internal sealed record Refusal(int Status, string Title, string Detail)
{
    /// <summary>401: the request needs (valid) credentials.</summary>
    public static Refusal Unauthorized(string detail) => new(401, "Unauthorized", detail);

    /// <summary>403: the user may not do this.</summary>
    public static Refusal Forbidden(string detail) => new(403, "Forbidden", detail);
}
