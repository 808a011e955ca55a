using System.Net;
using System.Text.Json;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moq;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Functions.Hosting;
using WabaOrchestrator.Functions.Http;
using WabaOrchestrator.Functions.Orchestration;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Onboarding.Activities;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Scenarios.Tests.Engines;

/// <summary>
/// The real durabletask-dotnet worker (replay, timers, external events) over <see cref="DurableTaskTestHost"/>'s
/// in-memory backend and gRPC sidecar, running the Functions host's own adapters: the orchestrator function
/// (<see cref="OnboardingOrchestratorFunction.RunAsync"/>), the activity functions of
/// <see cref="OnboardingActivityFunctions"/> called as the host calls them, and the client and starter the HTTP
/// triggers build (<see cref="DurableApi"/>). The activities' services are the host's own registrations
/// (<see cref="FunctionsServices.AddWabaFunctions"/>) pointed at the sandbox.
/// </summary>
internal sealed class DurableTaskEngine : IOnboardingEngine
{
    private readonly DurableTaskTestHost _testHost;
    private readonly IHost _functionsHost;
    private readonly SidecarTraffic _traffic;
    private readonly ILoggerFactory _sidecarLogging;

    private DurableTaskEngine(DurableTaskTestHost testHost, IHost functionsHost, SidecarTraffic traffic, ILoggerFactory sidecarLogging, LoopbackVonage vonage)
    {
        _testHost = testHost;
        _traffic = traffic;
        _sidecarLogging = sidecarLogging;
        _functionsHost = functionsHost;
        Vonage = vonage;
        var api = functionsHost.Services.GetRequiredService<DurableApi>();
        Client = api.Client(testHost.Client);
        Starter = api.Starter(Client);
    }

    public static readonly OnboardingEngineFactory Factory = async options => await StartAsync(options);

    /// <summary>The test functions the probe orchestrator needs, registered as a Functions host would.</summary>
    public static readonly OnboardingEngineFactory WithProbe = async options => await StartAsync(
        options with
        {
            ConfigureServices = services =>
            {
                options.ConfigureServices?.Invoke(services);
                Contract.ProbeOrchestrator.Register(services);
            },
        },
        Contract.ProbeOrchestrator.RegisterAsFunction);

    public string Name => "Durable Task";

    public IOrchestrationClient Client { get; }

    public OnboardingStarter Starter { get; }

    public IServiceProvider Services => _functionsHost.Services;

    public LoopbackVonage Vonage { get; }

    /// <summary>The raw client, for checks below our contract.</summary>
    public DurableTaskClient SdkClient => _testHost.Client;

    /// <param name="options">The sandbox, settings, services and logging, as for the SQLite engine.</param>
    /// <param name="moreTasks">More functions to register next to the onboarding's (the client contract's probe).</param>
    public static async Task<DurableTaskEngine> StartAsync(StackOptions? options = null, Action<DurableTaskRegistry>? moreTasks = null)
    {
        options ??= new StackOptions();
        var vonage = await LoopbackVonage.StartAsync(options.ConfigureSandbox);
        IHost? sidecar = null;
        ILoggerFactory? loggerFactory = null;
        IHost? functionsHost = null;
        GrpcChannel? channel = null;
        try
        {
            var functionsBuilder = FunctionsHostBuilder(vonage, options);
            loggerFactory = LoggerFactory.Create(logging =>
            {
                logging.SetMinimumLevel(LogLevel.Warning);
                options.ConfigureLogging?.Invoke(logging);
            });
            var traffic = new SidecarTraffic();
            (sidecar, var address) = await StartSidecarAsync(traffic, loggerFactory);
            channel = GrpcChannel.ForAddress(address);

            // The Functions host resolves function classes per invocation; the worker needs the built provider for that.
            IServiceProvider? services = null;
            functionsBuilder.Services.AddDurableTaskWorker(worker =>
            {
                worker.UseGrpc(channel);
                worker.AddTasks(tasks =>
                {
                    RegisterFunctions(tasks, () => services!);
                    moreTasks?.Invoke(tasks);
                });
            });
            functionsBuilder.Services.AddDurableTaskClient(client =>
            {
                client.UseGrpc(channel);
                client.RegisterDirectly();
            });
            functionsHost = functionsBuilder.Build();
            services = functionsHost.Services;
            await functionsHost.StartAsync();

            var testHost = new DurableTaskTestHost(sidecar, functionsHost, channel, functionsHost.Services.GetRequiredService<DurableTaskClient>());
            return new DurableTaskEngine(testHost, functionsHost, traffic, loggerFactory, vonage);
        }
        catch
        {
            functionsHost?.Dispose();
            channel?.Dispose();
            sidecar?.Dispose();
            loggerFactory?.Dispose();
            await vonage.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// What the engine keeps of the instance and more: every message through the sidecar (history, actions, events,
    /// results) and the instance's state with input, output and custom status.
    /// </summary>
    public async Task<IReadOnlyList<(string Name, string Text)>> StoredStateAsync(string instanceId)
    {
        // Neither the client's history call nor the in-memory backend hands out history here.
        var state = await SdkClient.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
        return
        [
            ("the sidecar's gRPC traffic", _traffic.Text),
            ("instance state", JsonSerializer.Serialize(state)),
        ];
    }

    public async ValueTask DisposeAsync()
    {
        await _testHost.DisposeAsync();
        _sidecarLogging.Dispose();
        await Vonage.DisposeAsync();
    }

    /// <summary>The Functions host's configuration and services: its own registrations, no Azure.</summary>
    private static HostApplicationBuilder FunctionsHostBuilder(LoopbackVonage vonage, StackOptions options)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(vonage.HostSettings());
        if (options.Settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(options.Settings);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.Services.AddWabaFunctions(builder.Configuration);
        options.ConfigureServices?.Invoke(builder.Services);
        return builder;
    }

    /// <summary>
    /// The test host's sidecar (its in-memory orchestration service behind its gRPC server) on 127.0.0.1 with a port the
    /// OS picks: <see cref="DurableTaskTestHost.StartAsync"/> listens on a random port of "localhost", which can resolve
    /// to an address nothing listens on or collide with another test's port.
    /// </summary>
    private static async Task<(IHost Sidecar, Uri Address)> StartSidecarAsync(SidecarTraffic traffic, ILoggerFactory loggerFactory)
    {
        var orchestrationService = new InMemoryOrchestrationService(loggerFactory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<SidecarTraffic>());
        builder.Services.AddSingleton(traffic);
        builder.Services.AddSingleton<IOrchestrationService>(orchestrationService);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(orchestrationService);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }

    /// <summary>
    /// The durable functions as the Functions host registers them: each name bound to the function method, the
    /// function class created per invocation from the host's services, and the activity trigger's binding data
    /// carrying the orchestration's instance id (a mocked <see cref="FunctionContext"/>: the platform boundary).
    /// </summary>
    private static void RegisterFunctions(DurableTaskRegistry tasks, Func<IServiceProvider> services)
    {
        // The function reads its input with GetInput<OnboardingInput>(). In the Functions host the extension's context
        // converts the input to any type asked for; the plain worker's context only casts what it deserialised for the
        // registered input type, so the registration declares the type the function asks for.
        tasks.AddOrchestratorFunc<OnboardingInput?, OnboardingOutput>(nameof(OnboardingOrchestrator), (context, _) => OnboardingOrchestratorFunction.RunAsync(context));

        Activity<ProvisionDeploymentInput, ProvisionDeploymentResult>(nameof(ProvisionDeploymentActivity), (f, i, c) => f.ProvisionDeployment(i, c, CancellationToken.None));
        Activity<string, DeploymentSnapshot?>(nameof(GetDeploymentActivity), (f, i, c) => f.GetDeployment(i, c, CancellationToken.None));
        Activity<ResendOtpInput, ResendResult>(nameof(ResendOtpActivity), (f, i, c) => f.ResendOtp(i, c, CancellationToken.None));
        Activity<VerifyOtpInput, VerificationResult>(nameof(VerifyOtpActivity), (f, i, c) => f.VerifyOtp(i, c, CancellationToken.None));
        Activity<UpdateProfileInput, StepOutcome>(nameof(UpdateProfileActivity), (f, i, c) => f.UpdateProfile(i, c, CancellationToken.None));
        Activity<UpdatePhotoInput, StepOutcome>(nameof(UpdatePhotoActivity), (f, i, c) => f.UpdatePhoto(i, c, CancellationToken.None));
        Activity<string, bool>(nameof(DeleteDeploymentActivity), (f, i, c) => f.DeleteDeployment(i, c, CancellationToken.None));
        Activity<NotifyCallbackInput, bool>(nameof(NotifyCallbackActivity), (f, i, c) => f.NotifyCallback(i, c, CancellationToken.None));

        void Activity<TInput, TOutput>(string name, Func<OnboardingActivityFunctions, TInput, FunctionContext, Task<TOutput>> function) =>
            tasks.AddActivityFunc<TInput, TOutput>(name, (context, input) =>
                function(ActivatorUtilities.CreateInstance<OnboardingActivityFunctions>(services()), input, FunctionContextOf(context.InstanceId)));
    }

    private static FunctionContext FunctionContextOf(string instanceId)
    {
        var binding = new Mock<BindingContext>();
        binding.Setup(b => b.BindingData).Returns(new Dictionary<string, object?> { ["instanceId"] = instanceId });
        var context = new Mock<FunctionContext>();
        context.Setup(c => c.BindingContext).Returns(binding.Object);
        return context.Object;
    }
}
