using Microsoft.Extensions.DependencyInjection;

namespace Herald.FunctionalTests;

internal static class ServiceProviderExtensions
{
    public static IHeraldHub GetHub(this IServiceProvider services) => services.GetRequiredService<IHeraldHub>();
}
