using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Azure.Functions.Worker
{
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    public sealed class FunctionAttribute(string name) : Attribute
    {
        public string Name { get; } = name;
    }

    public abstract class BindingContext
    {
        public abstract IReadOnlyDictionary<string, object?> BindingData { get; }
    }

    /// <summary>Only the member the Functions project reads is declared.</summary>
    public abstract class FunctionContext
    {
        public abstract BindingContext BindingContext { get; }
    }

    public enum AuthorizationLevel
    {
        Anonymous = 0,
        User = 1,
        Function = 2,
        System = 3,
        Admin = 4,
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class HttpTriggerAttribute : Attribute
    {
        public HttpTriggerAttribute(AuthorizationLevel authLevel, params string[] methods)
        {
            AuthLevel = authLevel;
            Methods = methods;
        }

        public AuthorizationLevel AuthLevel { get; }

        public string[]? Methods { get; }

        public string? Route { get; set; }
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class OrchestrationTriggerAttribute : Attribute
    {
        public string? Orchestration { get; set; }
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class ActivityTriggerAttribute : Attribute
    {
        public string? Activity { get; set; }
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    public sealed class DurableClientAttribute : Attribute
    {
        public string? TaskHub { get; set; }

        public string? ConnectionName { get; set; }
    }
}

namespace Microsoft.Azure.Functions.Worker.Builder
{
    public class FunctionsApplication
    {
        public static FunctionsApplicationBuilder CreateBuilder(string[] args) => new(args);
    }

    /// <summary>Upstream wraps a <see cref="HostApplicationBuilder"/> too; only the members used are declared.</summary>
    public class FunctionsApplicationBuilder
    {
        private readonly HostApplicationBuilder _host;

        internal FunctionsApplicationBuilder(string[]? args) => _host = Host.CreateApplicationBuilder(args);

        public ConfigurationManager Configuration => _host.Configuration;

        public IHostEnvironment Environment => _host.Environment;

        public IServiceCollection Services => _host.Services;

        public IHost Build() => _host.Build();
    }

    public static class FunctionsApplicationBuilderAspNetCoreExtensions
    {
        /// <summary>The stand-in has no worker pipeline to configure.</summary>
        public static FunctionsApplicationBuilder ConfigureFunctionsWebApplication(this FunctionsApplicationBuilder builder) => builder;
    }
}
