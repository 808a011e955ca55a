using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

namespace WabaOrchestrator.Functions.Hosting;

/// <summary>
/// Everything <c>Program</c> does to the Functions builder, in one method so the host-wiring test configures the host
/// through the same code.
/// </summary>
public static class FunctionsHost
{
    public static FunctionsApplicationBuilder ConfigureWabaFunctions(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // ASP.NET Core integration: the HTTP triggers take HttpRequest and return IResult, as the Api handlers do.
        builder.ConfigureFunctionsWebApplication();
        // Before the services bind their options, so vault secrets fill the settings left unset.
        builder.Configuration.AddKeyVaultSecrets();
        builder.Services.AddWabaFunctions(builder.Configuration);
        return builder;
    }
}
