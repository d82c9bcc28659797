using Herald.Internal.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Herald;

/// <summary>
/// Herald's own authentication: JSON Web Tokens (ASP.NET Core's JWT bearer handler) and API keys, configured from
/// <see cref="HeraldAuthOptions"/>. An app that has its own scheme need not use it: set <see cref="HeraldAuthOptions.Required"/>
/// and <see cref="HeraldAuthOptions.Scheme"/> instead, and Herald reads that scheme's user.
/// </summary>
public static class HeraldAuthentication
{
    /// <summary>The scheme Herald asks: it forwards a JWT to <see cref="JwtScheme"/> and anything else to <see cref="ApiKeyScheme"/>.</summary>
    public const string Scheme = "Herald";

    /// <summary>The JWT bearer scheme, reading <c>Authorization: Bearer</c> or the <c>access_token</c> query parameter.</summary>
    public const string JwtScheme = "Herald.Jwt";

    /// <summary>The API key scheme, reading the same places.</summary>
    public const string ApiKeyScheme = "Herald.ApiKey";

    /// <summary>
    /// Registers JWT and API key authentication under <see cref="Scheme"/>, configured from <see cref="HeraldAuthOptions"/>
    /// (<c>Herald:Auth</c>), validated at start-up. When a JWT key or an API key is configured, authentication becomes
    /// required and Herald asks <see cref="Scheme"/>.
    /// </summary>
    /// <param name="builder">Herald's builder.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHeraldBuilder AddHeraldAuthentication(this IHeraldBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddAuthentication()
            .AddPolicyScheme(Scheme, "Herald", o => o.ForwardDefaultSelector = BearerToken.SchemeFor)
            .AddJwtBearer(JwtScheme, _ => { })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyScheme, _ => { });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JwtBearerOptions>, JwtBearerSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HeraldOptions>, AuthOptionsValidator>());
        services.PostConfigure<HeraldOptions>(options =>
        {
            if (options.Auth.HasCredentials)
            {
                options.Auth.Required = true;
                options.Auth.Scheme ??= Scheme;
            }
        });
        return builder;
    }
}
