using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Api;
using WabaOrchestrator.Api.Infrastructure;
using WabaOrchestrator.Api.Webhooks;
using WabaOrchestrator.Durable.Sqlite;
using WabaOrchestrator.Local.Dashboard;
using WabaOrchestrator.Local.Health;
using WabaOrchestrator.Local.OpenApi;
using WabaOrchestrator.Local.Telemetry;
using WabaOrchestrator.Local.Webhooks;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Sandbox;
using WabaOrchestrator.Vonage;

namespace WabaOrchestrator.Local;

/// <summary>
/// The local host's composition: the HTTP API on the embedded SQLite engine, OpenAPI and Swagger UI, health, and —
/// with no Vonage credentials — the sandbox embedded under <c>/sandbox</c> and wired end to end, so an sms onboarding
/// completes by itself. <see cref="Program"/> runs it; tests start the same app on a loopback port.
/// </summary>
public static class LocalApp
{
    public const string DefaultUrl = "http://localhost:7071";

    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var settings = LocalSettings.Resolve(builder.Configuration, DefaultUrl);
        builder.Configuration.AddInMemoryCollection(settings.Overrides);
        AddServices(builder.Services, builder.Configuration, settings);

        var app = builder.Build();
        app.UseApiProblems();
        app.UseDashboard();
        app.MapOpenApi();
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "swagger";
            o.SwaggerEndpoint("/openapi/v1.json", "WabaOrchestrator API");
        });
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        app.MapWabaApi();
        if (settings.EmbeddedSandbox)
        {
            app.MapGroup(VonageTarget.SandboxPrefix).ExcludeFromDescription().MapVonageSandbox();
        }

        app.Lifetime.ApplicationStarted.Register(() => OnStarted(app, settings));
        return app;
    }

    private static void AddServices(IServiceCollection services, IConfiguration configuration, LocalSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(settings.Data);
        services.AddSingleton<LocalAddress>();
        services.AddSingleton(sp => new VonageTarget(sp.GetRequiredService<IOptions<Vonage.Configuration.VonageOptions>>(), sp.GetRequiredService<LocalAddress>(), settings.EmbeddedSandbox));

        services.AddVonageWhatsApp(configuration);
        // Durable:* tunes the engine (MaxCachedInstances is the main memory lever, Synchronous its durability against a power cut); the database lives in the data directory.
        services.AddSqliteDurableEngine(o =>
        {
            configuration.GetSection("Durable").Bind(o);
            o.DatabasePath = settings.Data.DatabasePath;
        }).AddOnboarding();
        services.AddWabaApi();
        services.AddLocalTracing(configuration);
        // Used webhook tokens in the engine's database, so a replay is refused after a restart too.
        services.AddSingleton<IWebhookTokenStore>(sp => new SqliteWebhookTokenStore(
            settings.Data.DatabasePath, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<SqliteDurableEngineOptions>>().Value.Synchronous));
        services.AddOpenApi(o =>
        {
            var security = new ApiKeySecurity();
            o.AddDocumentTransformer(security);
            o.AddOperationTransformer(security);
            o.AddOperationTransformer<MediaUploadBody>();
            o.AddSchemaTransformer<OnboardingViewSchemas>();
            // Last: it decodes the text every other transformer has set.
            o.AddDocumentTransformer<PlainText>();
        });

        services.AddHttpClient(VonageHealthCheck.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5));
        services.AddHealthChecks()
            .AddCheck<EngineHealthCheck>("engine")
            .AddCheck<VonageHealthCheck>(settings.EmbeddedSandbox ? "sandbox" : "vonage");

        if (settings.EmbeddedSandbox)
        {
            services.AddVonageSandbox();
            services.AddSingleton<Sandbox.Control.ISandboxControlAuthorizer, SandboxControlKey>();
            services.Configure<SandboxOptions>(o => o.Applications.Add(new SandboxApplication { ApplicationId = settings.SandboxApplicationId!, PublicKey = settings.SandboxPublicKey! }));
            // The webhook URL is this host's own, known only once it listens: OnStarted drops the cached options so
            // they are built again with it.
            services.AddOptions<SandboxOptions>().PostConfigure<LocalAddress>((o, self) =>
            {
                if (self.Current is { } address)
                {
                    o.InboundSms.WebhookUrl = new Uri(address, "api" + InboundSmsHandler.Route);
                }
            });
            // Runs after the Vonage client's own configuration: each client created points at the sandbox's real address.
            services.AddHttpClient(VonageServiceCollectionExtensions.HttpClientName, (sp, http) => http.BaseAddress = sp.GetRequiredService<VonageTarget>().BaseUrl);
        }
    }

    private static void OnStarted(WebApplication app, LocalSettings settings)
    {
        var self = app.Services.GetRequiredService<LocalAddress>().Required;
        if (settings.EmbeddedSandbox)
        {
            app.Services.GetRequiredService<IOptionsMonitorCache<SandboxOptions>>().TryRemove(Options.DefaultName);
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("WabaOrchestrator.Local");
        var vonage = app.Services.GetRequiredService<VonageTarget>().BaseUrl;
        logger.LogInformation(
            """
            WabaOrchestrator is running.
              Dashboard:    {Dashboard}
              API:          {Api}
              OpenAPI:      {OpenApi} (Swagger UI: {Swagger})
              Health:       {Health}
              Vonage:       {Vonage}{SandboxNote}
              API key:      {ApiKey} (send it in the x-functions-key header)
              Data:         {Data}
              Callback signing secret: {CallbackSecret}
            """,
            self,
            new Uri(self, "api/"),
            new Uri(self, "openapi/v1.json"),
            new Uri(self, "swagger"),
            new Uri(self, "healthz"),
            vonage,
            settings.EmbeddedSandbox ? " (embedded sandbox; no Vonage:ApplicationId configured; SMS codes are delivered to the inbound-SMS webhook by themselves)" : "",
            // The file, never the key: start-up logs are kept and shipped where the key must not go.
            settings.GeneratedApiKey is not null ? $"generated, in {settings.Data.ApiKeyPath}" : "configured in Auth:Keys",
            settings.Data.Directory,
            settings.Overrides.ContainsKey("Onboarding:Callbacks:SigningSecret") ? settings.Data.CallbackSecretPath : "configured in Onboarding:Callbacks:SigningSecret");
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        }, ApiJson.Options));
    }
}
