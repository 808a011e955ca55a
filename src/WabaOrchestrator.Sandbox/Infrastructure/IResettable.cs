using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WabaOrchestrator.Sandbox.Infrastructure;

/// <summary>State that <c>POST /_sandbox/reset</c> clears.</summary>
internal interface IResettable
{
    void Reset();
}

internal static class ResettableServiceCollectionExtensions
{
    /// <summary>Registers <typeparamref name="T"/> as a singleton that <c>POST /_sandbox/reset</c> clears.</summary>
    public static IServiceCollection AddResettable<T>(this IServiceCollection services)
        where T : class, IResettable
    {
        services.TryAddSingleton<T>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IResettable, ResettableAlias<T>>());
        return services;
    }

    // A distinct implementation type per store lets TryAddEnumerable de-duplicate registrations
    // while still resolving the one shared singleton.
    private sealed class ResettableAlias<T>(T inner) : IResettable
        where T : class, IResettable
    {
        public void Reset() => inner.Reset();
    }
}
