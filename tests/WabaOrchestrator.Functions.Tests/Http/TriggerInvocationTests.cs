using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using WabaOrchestrator.Api.Infrastructure;
using WabaOrchestrator.Functions.Http;
using WabaOrchestrator.Functions.Tests.Durable;
using WabaOrchestrator.Functions.Tests.Hosting;
using WabaOrchestrator.Onboarding;
using WabaOrchestrator.Vonage.Deployments;
using WabaOrchestrator.Vonage.Errors;
using WabaOrchestrator.Vonage.Http;
using SdkStatus = Microsoft.DurableTask.Client.OrchestrationRuntimeStatus;

namespace WabaOrchestrator.Functions.Tests.Http;

/// <summary>Triggers invoked as the Functions host invokes them: the real services, a mocked durable client and Vonage client.</summary>
public sealed class TriggerInvocationTests : IDisposable
{
    private const string Id = "waba-447700900100";
    private readonly Mock<DurableTaskClient> _durable = SdkFakes.Client();
    private readonly Mock<IDeploymentsClient> _deployments = new(MockBehavior.Strict);
    private readonly Mock<IVonageJsonReader> _vonage = new(MockBehavior.Strict);
    private readonly ServiceProvider _services;

    public TriggerInvocationTests() =>
        _services = FunctionsTestServices.Provider(services => services.AddSingleton(_deployments.Object).AddSingleton(_vonage.Object));

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task StartOnboarding_SchedulesTheOrchestratorUnderTheNumbersId_AndAnswers202WithLinks()
    {
        _durable.HasInstance(Id, null);
        object? input = null;
        _durable.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.Is<TaskName>(n => n.Name == nameof(OnboardingOrchestrator)), It.IsAny<object?>(), It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == Id), It.IsAny<CancellationToken>()))
            .Callback((TaskName _, object? i, StartOrchestrationOptions? _, CancellationToken _) => input = i)
            .ReturnsAsync(Id);
        var context = Request("POST", "/api/onboardings", """{"country_code":"44","number":"7700900100","vname_certificate":"cert-plain","method":"sms","waba_id":"123456"}""");

        var (status, body) = await InvokeAsync(context, Trigger<OnboardingTriggers>().Start(context.Request, _durable.Object));

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.EndsWith($"/api/onboardings/{Id}", context.Response.Headers.Location.ToString(), StringComparison.Ordinal);
        Assert.Equal(Id, JsonDocument.Parse(body).RootElement.GetProperty("id").GetString());
        var scheduled = Assert.IsType<OnboardingInput>(input);
        Assert.DoesNotContain("cert-plain", JsonSerializer.Serialize(scheduled), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartOnboarding_WhileThatNumberIsOnboarding_Answers409()
    {
        _durable.HasInstance(Id, SdkFakes.Instance(Id, SdkStatus.Running));
        var context = Request("POST", "/api/onboardings", """{"country_code":"44","number":"7700900100","vname_certificate":"cert","method":"sms","waba_id":"123456"}""");

        var (status, _) = await InvokeAsync(context, Trigger<OnboardingTriggers>().Start(context.Request, _durable.Object));

        Assert.Equal(HttpStatusCode.Conflict, status);
    }

    [Fact]
    public async Task GetOnboarding_Unknown_Answers404Problem()
    {
        _durable.HasInstance(Id, null);
        var context = Request("GET", $"/api/onboardings/{Id}");

        var (status, body) = await InvokeAsync(context, Trigger<OnboardingTriggers>().Get(context.Request, Id, _durable.Object));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains(Id, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitOtp_RaisesTheOtpEventWithTheCodeEncrypted()
    {
        _durable.HasInstance(Id, SdkFakes.Instance(Id, SdkStatus.Running));
        object? payload = null;
        _durable.Setup(c => c.RaiseEventAsync(Id, OnboardingEvents.Otp, It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string _, object? p, CancellationToken _) => payload = p)
            .Returns(Task.CompletedTask);
        var context = Request("POST", $"/api/onboardings/{Id}/otp", """{"code":"123-456"}""");

        var (status, _) = await InvokeAsync(context, Trigger<OnboardingTriggers>().SubmitOtp(context.Request, Id, _durable.Object));

        Assert.Equal(HttpStatusCode.Accepted, status);
        var otp = Assert.IsType<OtpSubmitted>(payload);
        Assert.DoesNotContain("123456", otp.ProtectedCode, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitOtp_PastTheLimitOnThisInstance_Answers429WithRetryAfter_AndRaisesNothing()
    {
        _durable.HasInstance(Id, SdkFakes.Instance(Id, SdkStatus.Running));
        var raised = new List<OtpSubmitted>();
        _durable.Setup(c => c.RaiseEventAsync(Id, OnboardingEvents.Otp, It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string _, object? p, CancellationToken _) => raised.Add((OtpSubmitted)p!))
            .Returns(Task.CompletedTask);
        var before = DateTime.UtcNow;
        for (var i = 0; i < 5; i++)
        {
            var accepted = Request("POST", $"/api/onboardings/{Id}/otp", """{"code":"123-456"}""");
            Assert.Equal(HttpStatusCode.Accepted, (await InvokeAsync(accepted, Trigger<OnboardingTriggers>().SubmitOtp(accepted.Request, Id, _durable.Object))).Status);
        }

        var context = Request("POST", $"/api/onboardings/{Id}/otp", """{"code":"123-456"}""");
        var (status, body) = await InvokeAsync(context, Trigger<OnboardingTriggers>().SubmitOtp(context.Request, Id, _durable.Object));

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.True(int.Parse(context.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1, body);
        Assert.Equal(5, raised.Count);
        Assert.All(raised, otp => Assert.InRange(otp.ReceivedAt!.Value, before, DateTime.UtcNow));
    }

    [Fact]
    public async Task InboundSms_WithoutASignature_Answers401AndRaisesNothing()
    {
        var context = Request("POST", "/api/webhooks/vonage/inbound-sms", """{"msisdn":"447700900100","to":"447700900100","messageId":"m-1","text":"Your code is 123-456"}""");

        var (status, _) = await InvokeAsync(context, Trigger<WebhookTriggers>().InboundSms(context.Request, _durable.Object));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        _durable.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task GetDeployment_ForwardsTheIdToVonage()
    {
        _vonage.Setup(v => v.GetAsync(VonagePaths.Deployment("dep-1"), It.IsAny<CancellationToken>()))
            .ReturnsAsync("""{"deployment_id":"dep-1","waba_id":"123456"}"""u8.ToArray());
        var context = Request("GET", "/api/deployments/dep-1");

        var (status, body) = await InvokeAsync(context, Trigger<DeploymentTriggers>().Get(context.Request, "dep-1"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("dep-1", JsonDocument.Parse(body).RootElement.GetProperty("deployment_id").GetString());
    }

    [Fact]
    public async Task AVonageError_IsRelayedWithItsStatus()
    {
        _vonage.Setup(v => v.GetAsync(VonagePaths.Deployment("dep-1"), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new VonageApiException(HttpStatusCode.TooManyRequests, "https://developer.vonage.com/api-errors#throttled", "Too Many Requests", "Slow down", null, [], TimeSpan.FromSeconds(3), """{"title":"Too Many Requests"}"""));
        var context = Request("GET", "/api/deployments/dep-1");

        var (status, _) = await InvokeAsync(context, Trigger<DeploymentTriggers>().Get(context.Request, "dep-1"));

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
    }

    [Fact]
    public async Task AnExceptionNoHandlerMaps_IsAProblem500NamingNothingInternal()
    {
        _durable.Setup(c => c.GetInstanceAsync(Id, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("task hub connection secret=abc"));
        var context = Request("GET", $"/api/onboardings/{Id}");

        var (status, body) = await InvokeAsync(context, Trigger<OnboardingTriggers>().Get(context.Request, Id, _durable.Object));

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.DoesNotContain("secret=abc", body, StringComparison.Ordinal);
        Assert.Equal("application/problem+json", context.Response.ContentType);
    }

    [Fact]
    public async Task JsonBodyTriggers_CapTheBodyAsTheLocalHostDoes()
    {
        _durable.HasInstance(Id, null);
        var start = Request("POST", "/api/onboardings", "{}");
        var startLimit = LimitOf(start);
        var otp = Request("POST", $"/api/onboardings/{Id}/otp", """{"code":"123456"}""");
        var otpLimit = LimitOf(otp);

        await InvokeAsync(start, Trigger<OnboardingTriggers>().Start(start.Request, _durable.Object));
        await InvokeAsync(otp, Trigger<OnboardingTriggers>().SubmitOtp(otp.Request, Id, _durable.Object));

        Assert.Equal(EndpointConventions.JsonBodyLimit, startLimit.MaxRequestBodySize);
        Assert.Equal(EndpointConventions.JsonBodyLimit, otpLimit.MaxRequestBodySize);
    }

    [Fact]
    public async Task ProxyJsonBodyTriggers_CapTheBodyAsTheLocalHostDoes()
    {
        var template = Request("POST", "/api/wabas/123456/templates", "{}");
        var templateLimit = LimitOf(template);

        await InvokeAsync(template, Trigger<TemplateTriggers>().Create(template.Request, "123456"));

        Assert.Equal(EndpointConventions.JsonBodyLimit, templateLimit.MaxRequestBodySize);
    }

    private static BodyLimit LimitOf(HttpContext context)
    {
        var limit = new BodyLimit();
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(limit);
        return limit;
    }

    private sealed class BodyLimit : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => false;

        public long? MaxRequestBodySize { get; set; }
    }

    private T Trigger<T>() where T : class => ActivatorUtilities.CreateInstance<T>(_services);

    private DefaultHttpContext Request(string method, string path, string? json = null)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("func-test.azurewebsites.net");
        context.Request.Path = path;
        if (json is not null)
        {
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<(HttpStatusCode Status, string Body)> InvokeAsync(HttpContext context, Task<IResult> trigger)
    {
        await (await trigger).ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return ((HttpStatusCode)context.Response.StatusCode, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }
}
