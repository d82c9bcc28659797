using Herald.Internal.Security;
using Microsoft.AspNetCore.Http;

namespace Herald.Internal.Http;

/// <summary>Who a REST call is and whether it may do what it asks: 401 when it is nobody, 403 when its grants do not allow it.</summary>
internal static class Access
{
    public static async ValueTask<(HeraldUser? User, IResult? Refusal)> CheckAsync(HttpContext context, Authenticator authenticator, Func<HeraldGrants, bool>? allowed = null, string? deniedBecause = null)
    {
        var outcome = await authenticator.AuthenticateAsync(context).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return (null, Problems.Refused(Refusal.Unauthorized(outcome.Reason!)));
        }

        if (allowed is not null && !allowed(outcome.User!.Grants))
        {
            return (null, Problems.Refused(Refusal.Forbidden(deniedBecause ?? "This user may not do this.")));
        }

        return (outcome.User, null);
    }

    public const string AdminNeeded = "This needs the admin grant (herald.admin).";
}
