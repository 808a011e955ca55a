using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;

namespace WabaOrchestrator.Api.Proxies;

/// <summary>Settings under <c>Proxies:*</c>.</summary>
public sealed class ProxyOptions
{
    public const string SectionName = "Proxies";

    /// <summary>Largest media upload accepted, in bytes. The default is Vonage's largest (a 16 MB video).</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Proxies:MaxUploadBytes must be a positive number of bytes.")]
    public long MaxUploadBytes { get; set; } = 16 * 1024 * 1024;
}

public static class ProxyServiceCollectionExtensions
{
    /// <summary>Binds <c>Proxies:*</c>. Without it the proxies run on the defaults.</summary>
    public static IServiceCollection AddApiProxies(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
