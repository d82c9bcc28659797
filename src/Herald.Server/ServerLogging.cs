using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Server;

/// <summary>
/// The server's console logging: <c>Logging:Format</c> picks <see cref="LogFormat.Simple"/> or <see cref="LogFormat.Json"/>
/// (scopes on, so each connection's lines carry its <c>ConnectionId</c>, <c>SessionId</c> and <c>RequestId</c>), and
/// every provider's lines pass through <see cref="RedactingLoggerProvider"/>, so resume tokens and access tokens in
/// query strings never reach a log.
/// </summary>
internal static class ServerLogging
{
    public const string FormatKey = "Logging:Format";

    /// <summary>Reads <c>Logging:Format</c>.</summary>
    /// <exception cref="InvalidOperationException">The value is neither <c>simple</c> nor <c>json</c>.</exception>
    public static LogFormat ReadFormat(string? value)
        => string.IsNullOrEmpty(value) ? LogFormat.Simple
            : Enum.TryParse<LogFormat>(value, ignoreCase: true, out var format) && Enum.IsDefined(format) && !char.IsAsciiDigit(value[0]) ? format
            : throw new InvalidOperationException($"{FormatKey} (--log-format) is '{value}'; use 'simple' (the default) or 'json'.");

    public static void Configure(WebApplicationBuilder builder)
    {
        if (ReadFormat(builder.Configuration[FormatKey]) == LogFormat.Json)
        {
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
    }

    /// <summary>Wraps every registered logger provider; call once all logging is registered.</summary>
    public static void RedactSecrets(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(ILoggerProvider) || descriptor.IsKeyedService)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(sp => new RedactingLoggerProvider(Create(sp, descriptor)));
        }
    }

    private static ILoggerProvider Create(IServiceProvider services, ServiceDescriptor descriptor)
        => (ILoggerProvider)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
