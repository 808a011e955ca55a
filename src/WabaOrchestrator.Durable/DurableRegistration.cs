using Microsoft.Extensions.DependencyInjection;

namespace WabaOrchestrator.Durable;

public enum TaskKind
{
    Orchestrator,
    Activity,
}

/// <summary>One registered orchestrator or activity; engines build their name lookup from all of these in DI.</summary>
public sealed record TaskRegistration(TaskKind Kind, string Name, Type Type);

/// <summary>Returned by an engine's <c>Add...</c> method so tasks can be registered fluently.</summary>
public interface IDurableBuilder
{
    IServiceCollection Services { get; }
}

public static class DurableBuilderExtensions
{
    /// <summary>Registers <typeparamref name="T"/> under its class name.</summary>
    public static IDurableBuilder AddOrchestrator<T>(this IDurableBuilder builder) where T : class, IOrchestrator
    {
        builder.Services.AddTransient<T>();
        builder.Services.AddSingleton(new TaskRegistration(TaskKind.Orchestrator, typeof(T).Name, typeof(T)));
        return builder;
    }

    /// <summary>Registers <typeparamref name="T"/> under its class name; resolved from a new DI scope per execution.</summary>
    public static IDurableBuilder AddActivity<T>(this IDurableBuilder builder) where T : class, IActivity
    {
        builder.Services.AddScoped<T>();
        builder.Services.AddSingleton(new TaskRegistration(TaskKind.Activity, typeof(T).Name, typeof(T)));
        return builder;
    }

    /// <summary>Both engines: the registrations by kind and case-insensitive name.</summary>
    public static IReadOnlyDictionary<string, TaskRegistration> ByName(this IEnumerable<TaskRegistration> registrations, TaskKind kind) =>
        registrations.Where(r => r.Kind == kind).ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
}
