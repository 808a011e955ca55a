using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WabaOrchestrator.Bench;

/// <summary>
/// The ceiling for <see cref="SandboxBenchmark"/>: a minimal ASP.NET Core endpoint in a process of its own.
/// <see cref="SandboxBenchmark"/> re-launches this program as <c>serve-ceiling PORT</c> (a server mode Program.cs
/// handles before the benchmark list, so it is never run or reported as a benchmark), and it serves until killed.
/// </summary>
internal static class SandboxCeilingServer
{
    public const string Argument = "serve-ceiling";

    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok());

        // Same route shape and a same-sized snake_case document as the sandbox's GET deployment.
        app.MapGet("/v0.1/whatsapp-manager/deployments/{id}", (string id) => Results.Json(new Dictionary<string, object>
        {
            ["deployment_id"] = id,
            ["waba_id"] = "123456789123",
            ["country_code"] = "44",
            ["number"] = "7700900123",
            ["api_key"] = "sandbox",
            ["current_state"] = new Dictionary<string, string> { ["title"] = "CODE_SENT", ["detail"] = "Verification code sent by sms" },
        }));
        await app.StartAsync();
        await app.WaitForShutdownAsync();
    }
}
