using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WabaOrchestrator.Durable.Sqlite;

public static class SqliteDurableEngineServiceCollectionExtensions
{
    /// <summary>
    /// Adds the embedded engine as a hosted service and <see cref="IOrchestrationClient"/>; register orchestrators and
    /// activities on the returned builder.
    /// </summary>
    public static IDurableBuilder AddSqliteDurableEngine(this IServiceCollection services, Action<SqliteDurableEngineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SqliteDurableEngineOptions>().Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteDurableEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<SqliteDurableEngine>());
        services.TryAddSingleton<IOrchestrationClient, SqliteOrchestrationClient>();
        services.TryAddSingleton(sp => new SqliteDurableEngineHealth(sp.GetRequiredService<SqliteDurableEngine>()));
        return new DurableBuilder(services);
    }

    private sealed class DurableBuilder(IServiceCollection services) : IDurableBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
