using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Durable;
using WabaOrchestrator.Functions.Http;

namespace WabaOrchestrator.Functions.Tests.Http;

/// <summary>The Functions host maps a durable store outage as the local host does: 503 problem+json with Retry-After.</summary>
public sealed class StoreUnavailableTests
{
    [Fact]
    public async Task ATriggerWhoseStoreIsUnavailable_Answers503ProblemWithRetryAfter()
    {
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.Path = "/api/onboardings";
        context.Response.Body = new MemoryStream();

        var result = await ApiCall.RunAsync(context.Request, () => throw new DurableStoreUnavailableException(DurableStoreFailure.Full, "The durable store is unavailable: the disk is full.", TimeSpan.FromSeconds(2.5)));
        await result.ExecuteAsync(context);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (HttpStatusCode)context.Response.StatusCode);
        Assert.Equal("3", context.Response.Headers.RetryAfter.ToString());
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        context.Response.Body.Position = 0;
        var problem = JsonDocument.Parse(context.Response.Body).RootElement;
        Assert.EndsWith("#store-unavailable", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
    }
}
