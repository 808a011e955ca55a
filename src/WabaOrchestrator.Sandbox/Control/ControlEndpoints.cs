using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WabaOrchestrator.Sandbox.Deployments;
using WabaOrchestrator.Sandbox.Deployments.Otp;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Control;

/// <summary>
/// Operating the sandbox under <c>/_sandbox</c> (loopback callers only, or whom the host admits: <see cref="ControlAccess"/>), and the
/// behaviour every Vonage API endpoint shares: JWT auth, fault injection and per-operation statistics.
/// </summary>
internal static class ControlEndpoints
{
    private const VonageApi Api = VonageApi.WhatsAppManager;

    public static IServiceCollection AddSandboxControl(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddResettable<ApplicationRegistry>();
        services.AddResettable<FaultInjector>();
        services.AddResettable<OperationStats>();
        services.TryAddSingleton<VonageTokenValidator>();
        return services;
    }

    public static IEndpointRouteBuilder MapSandboxControl(this IEndpointRouteBuilder endpoints)
    {
        var control = endpoints.MapGroup("/_sandbox").RequireControlAccess();
        control.MapGet("/stats", (OperationStats stats) => SandboxJson.Result(stats.Snapshot()));
        control.MapGet("/faults", (FaultInjector faults) => SandboxJson.Result(faults.Settings));
        control.MapPost("/faults", SetFaults);
        control.MapPost("/reset", (IEnumerable<IResettable> stores) =>
        {
            foreach (var store in stores)
            {
                store.Reset();
            }

            return Results.NoContent();
        });
        control.MapGet("/applications", (ApplicationRegistry applications) =>
            SandboxJson.Result(new { Applications = applications.ApplicationIds.ToList() }));
        control.MapPost("/applications", RegisterApplication);
        control.MapGet("/deployments/{deployment_id}/otp", GetOtp);
        control.MapGet("/deployments", (DeploymentStore store) => SandboxJson.Result(new DeploymentList([.. store.All().Select(DeploymentSummary.Of)])));
        control.MapGet("/inbound-sms", (InboundSmsDelivery sms) => SandboxJson.Result(new PendingSmsList(
            [.. sms.Pending().Select(p => new PendingSmsSummary(p.MessageId, p.To, p.Attempts, p.SentAt, p.DueAt, p.GiveUpAt))])));
        return endpoints;
    }

    /// <summary>Auth, fault injection and per-operation statistics for every Vonage API endpoint.</summary>
    public static RouteGroupBuilder WithVonageBehaviour(this RouteGroupBuilder group)
    {
        // Finally runs after every other convention, when the full route and HTTP methods are known.
        ((IEndpointConventionBuilder)group).Finally(builder =>
        {
            if (builder is RouteEndpointBuilder route)
            {
                builder.Metadata.Add(VonageOperation.From(route));
            }
        });
        group.AddEndpointFilter<VonageBehaviourFilter>();
        return group;
    }

    private static async Task<IResult> SetFaults(HttpRequest request, FaultInjector faults)
    {
        var (body, problem) = await SandboxJson.ReadObjectAsync(request, Api);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<InvalidParameter>();
        var current = faults.Settings;
        var settings = new FaultSettings(
            ReadNumber(body!, "throttle_rate", 0, 1, errors) ?? current.ThrottleRate,
            ReadNumber(body!, "error_rate", 0, 1, errors) ?? current.ErrorRate,
            (int?)ReadNumber(body!, "latency_ms", 0, 60_000, errors, integer: true) ?? current.LatencyMs);
        if (errors.Count > 0)
        {
            return VonageProblems.Unprocessable(Api, errors);
        }

        faults.Settings = settings;
        return SandboxJson.Result(settings);
    }

    private static double? ReadNumber(JsonObject body, string name, double min, double max, List<InvalidParameter> errors, bool integer = false)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue<double>(out var number) && number >= min && number <= max
            && (!integer || number == Math.Floor(number)))
        {
            return number;
        }

        errors.Add(new InvalidParameter(name, $"Must be {(integer ? "an integer" : "a number")} from {min} to {max}."));
        return null;
    }

    private static async Task<IResult> RegisterApplication(HttpRequest request, ApplicationRegistry applications)
    {
        var (body, problem) = await SandboxJson.ReadObjectAsync(request, Api);
        if (problem is not null)
        {
            return problem;
        }

        var fields = new FieldReader(body!);
        var applicationId = fields.RequiredString("application_id", 128);
        var publicKey = fields.RequiredString("public_key", 16_384);
        var key = publicKey is null ? null : ApplicationRegistry.TryImportKey(publicKey);
        if (publicKey is not null && key is null)
        {
            fields.Fail("public_key", "Must be a PEM-encoded RSA public key.");
        }

        if (!fields.IsValid)
        {
            return VonageProblems.Unprocessable(Api, fields.Errors);
        }

        applications.Register(applicationId!, publicKey!, key!);
        return SandboxJson.Result(new { ApplicationId = applicationId }, StatusCodes.Status201Created);
    }

    private static IResult GetOtp([FromRoute(Name = "deployment_id")] string id, DeploymentStore store)
    {
        if (!store.TryGet(id, out var deployment))
        {
            return DeploymentAccess.NotFound(id);
        }

        lock (deployment.Gate)
        {
            return deployment.Otp is { } otp
                ? SandboxJson.Result(otp)
                : VonageProblems.NotFound(Api, $"No code has been sent for deployment {id} yet.");
        }
    }

    private sealed record DeploymentList(IReadOnlyList<DeploymentSummary> Deployments);

    /// <summary>What a test needs to count provisionings and codes per number; never the code itself.</summary>
    private sealed record DeploymentSummary(string DeploymentId, string CountryCode, string Number, string State, string Method, int CodesSent, int WrongAttempts)
    {
        public static DeploymentSummary Of(Deployment deployment)
        {
            lock (deployment.Gate)
            {
                return new(deployment.Id, deployment.Request.CountryCode, deployment.Request.Number, deployment.State.Title(), deployment.Method, deployment.CodesSent, deployment.WrongAttempts);
            }
        }
    }

    private sealed record PendingSmsList(IReadOnlyList<PendingSmsSummary> Pending);

    private sealed record PendingSmsSummary(string MessageId, string To, int Attempts, DateTimeOffset SentAt, DateTimeOffset NextAttemptAt, DateTimeOffset GiveUpAt);
}
