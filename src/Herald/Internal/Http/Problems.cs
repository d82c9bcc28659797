using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Herald.Internal.Http;

/// <summary>RFC 9457 problem-details answers.</summary>
internal static class Problems
{
    public static IResult Result(int status, string title, string detail)
        => TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });

    public static Task Write(HttpContext context, int status, string title, string detail)
        => Result(status, title, detail).ExecuteAsync(context);
}
