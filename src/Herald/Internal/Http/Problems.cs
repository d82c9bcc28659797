using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Herald.Internal.Http;

/// <summary>RFC 9457 problem-details answers.</summary>
internal static class Problems
{
    public static IResult Result(int status, string title, string detail)
        => TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });

    public static Task Write(HttpContext context, int status, string title, string detail)
    {
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = Challenge;
        }

        return Result(status, title, detail).ExecuteAsync(context);
    }

    public static Task Write(HttpContext context, Refusal refusal) => Write(context, refusal.Status, refusal.Title, refusal.Detail);

    /// <summary>A 401 or 403 for a REST call: 401 says how to authenticate (<c>WWW-Authenticate: Bearer</c>).</summary>
    public static IResult Refused(Refusal refusal)
        => refusal.Status == StatusCodes.Status401Unauthorized
            ? new ChallengeResult(Result(refusal.Status, refusal.Title, refusal.Detail))
            : Result(refusal.Status, refusal.Title, refusal.Detail);

    /// <summary>The <c>WWW-Authenticate</c> value of every 401.</summary>
    public const string Challenge = "Bearer";

    private sealed class ChallengeResult(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.WWWAuthenticate = Challenge;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
