using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using WabaOrchestrator.Functions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureWabaFunctions();
builder.Build().Run();
