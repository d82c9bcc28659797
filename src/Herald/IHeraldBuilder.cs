namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures Herald's services; returned by <c>AddHerald</c> so stores and sources can chain on it.</summary>
public interface IHeraldBuilder
{
    /// <summary>The service collection Herald is registered in.</summary>
    IServiceCollection Services { get; }
}
