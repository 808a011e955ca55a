using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using WabaOrchestrator.Functions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Configuration.AddKeyVaultSecrets();
builder.Services.AddWabaFunctions(builder.Configuration);
builder.Build().Run();
