using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Sandbox.Control;
using WabaOrchestrator.Sandbox.Deployments;
using WabaOrchestrator.Sandbox.Infrastructure.Persistence;
using WabaOrchestrator.Sandbox.Media;
using WabaOrchestrator.Sandbox.Templates;

namespace WabaOrchestrator.Sandbox;

public static class SandboxExtensions
{
    /// <summary>Registers the sandbox's state and options (bound from <c>Sandbox:*</c>).</summary>
    public static IServiceCollection AddVonageSandbox(this IServiceCollection services)
    {
        services.AddOptions<SandboxOptions>()
            .BindConfiguration(SandboxOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.StepDelay >= TimeSpan.Zero && o.ResendCooldown >= TimeSpan.Zero && o.InboundSms.RetryDelay >= TimeSpan.Zero
                    && o.InboundSms.Delay >= TimeSpan.Zero && o.InboundSms.RetryFor >= TimeSpan.Zero,
                "Sandbox:StepDelay, Sandbox:ResendCooldown and Sandbox:InboundSms:RetryDelay, Delay and RetryFor must not be negative.")
            .Validate(o => o.InboundSms.MaxRetryDelay > TimeSpan.Zero && o.InboundSms.MaxRetryDelay <= TimeSpan.FromDays(1) && o.InboundSms.Delay <= TimeSpan.FromDays(1),
                "Sandbox:InboundSms:MaxRetryDelay must be above zero, and it and Sandbox:InboundSms:Delay at most a day.")
            .Validate(o => o.InboundSms.WebhookUrl is null || !string.IsNullOrEmpty(o.InboundSms.SignatureSecret),
                "Sandbox:InboundSms:SignatureSecret is required when Sandbox:InboundSms:WebhookUrl is set.")
            .ValidateOnStart();
        services.TryAddSingleton<ISandboxState>(sp => sp.GetRequiredService<IOptions<SandboxOptions>>().Value.DataDirectory is { Length: > 0 } directory
            ? new SqliteSandboxState(directory)
            : MemorySandboxState.Instance);
        services.AddSandboxControl();
        services.AddSandboxDeployments();
        services.AddSandboxTemplates();
        services.AddHostedService<SandboxStateResumer>();
        return services;
    }

    /// <summary>
    /// Maps every sandbox endpoint on <paramref name="endpoints"/>; a host can embed the sandbox
    /// under a prefix with <c>app.MapGroup("/sandbox").MapVonageSandbox()</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapVonageSandbox(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSandboxControl();
        var api = endpoints.MapGroup("").WithVonageBehaviour();
        api.MapDeployments();
        api.MapTemplates();
        api.MapMediaUploads();
        return endpoints;
    }
}
