using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests;

public sealed class AuthTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private async Task<HttpResponseMessage> GetWithToken(string? token)
    {
        using var client = new HttpClient { BaseAddress = sandbox.Host.BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.GetAsync($"{SandboxApi.Deployments}/{Guid.NewGuid()}");
    }

    [Fact]
    public async Task ValidToken_ReachesTheOperation()
    {
        using var response = await GetWithToken(sandbox.Application.MintToken(lifetime: TimeSpan.FromMinutes(5)));
        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task TokenWithoutExp_IsGoodFor15MinutesAfterIat()
    {
        using var fresh = await GetWithToken(sandbox.Application.MintToken(issuedAt: DateTimeOffset.UtcNow.AddMinutes(-14)));
        Assert.Equal(HttpStatusCode.NotFound, fresh.StatusCode);

        using var stale = await GetWithToken(sandbox.Application.MintToken(issuedAt: DateTimeOffset.UtcNow.AddMinutes(-16)));
        var problem = await stale.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("expired", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MissingAuthorization_Is401ProblemJson()
    {
        using var response = await GetWithToken(null);
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredToken_Is401()
    {
        using var response = await GetWithToken(sandbox.Application.MintToken(issuedAt: DateTimeOffset.UtcNow.AddHours(-2), lifetime: TimeSpan.FromHours(1)));
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task TokenOlderThan24Hours_Is401EvenWithALaterExp()
    {
        using var response = await GetWithToken(sandbox.Application.MintToken(issuedAt: DateTimeOffset.UtcNow.AddHours(-25), lifetime: TimeSpan.FromHours(48)));
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task TokenWithLongExp_IsAcceptedWithin24Hours()
    {
        using var response = await GetWithToken(sandbox.Application.MintToken(issuedAt: DateTimeOffset.UtcNow.AddHours(-23), lifetime: TimeSpan.FromHours(48)));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TokenSignedWithAnotherKey_Is401()
    {
        using var otherKey = RSA.Create(2048);
        using var response = await GetWithToken(sandbox.Application.MintToken(lifetime: TimeSpan.FromMinutes(5), signingKey: otherKey));
        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("signature", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TokenWithoutIatOrExp_Is401()
    {
        using var response = await GetWithToken(sandbox.Application.MintToken(omitIssuedAt: true));
        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("iat", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenWithExpButNoIat_IsAccepted()
    {
        using var response = await GetWithToken(sandbox.Application.MintToken(omitIssuedAt: true, lifetime: TimeSpan.FromMinutes(5)));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TokenOfUnknownApplication_Is401()
    {
        using var response = await GetWithToken(sandbox.Application.MintToken(lifetime: TimeSpan.FromMinutes(5), applicationId: Guid.NewGuid().ToString()));
        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains("Unknown application", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenIssuedInTheFuture_Is401()
    {
        using var response = await GetWithToken(sandbox.Application.MintToken(issuedAt: DateTimeOffset.UtcNow.AddMinutes(10), lifetime: TimeSpan.FromMinutes(5)));
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task GarbageToken_Is401()
    {
        using var response = await GetWithToken("not.a.jwt");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task UnsignedToken_Is401()
    {
        var valid = sandbox.Application.MintToken(lifetime: TimeSpan.FromMinutes(5)).Split('.');
        var none = System.Buffers.Text.Base64Url.EncodeToString("""{"alg":"none","typ":"JWT"}"""u8);
        using var response = await GetWithToken($"{none}.{valid[1]}.");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task ApplicationRegisteredAtRunTime_IsAccepted()
    {
        using var application = new TestApplication();
        using var control = new HttpClient { BaseAddress = sandbox.Host.BaseAddress };
        using var before = await GetWithToken(application.MintToken(lifetime: TimeSpan.FromMinutes(5)));
        Assert.Equal(HttpStatusCode.Unauthorized, before.StatusCode);

        using var registered = await control.PostAsJsonAsync("_sandbox/applications", new { application_id = application.ApplicationId, public_key = application.PublicKeyPem });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        using var after = await GetWithToken(application.MintToken(lifetime: TimeSpan.FromMinutes(5)));
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task RegisteringAnApplication_WithABadKey_NamesTheField()
    {
        using var control = new HttpClient { BaseAddress = sandbox.Host.BaseAddress };
        using var response = await control.PostAsJsonAsync("_sandbox/applications", new { application_id = "x", public_key = "not a pem" });
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable");
        Assert.Equal(["public_key"], problem.InvalidParameterNames());

        using var missing = await control.PostAsJsonAsync("_sandbox/applications", new { });
        Assert.Equal(["application_id", "public_key"], (await missing.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unprocessable")).InvalidParameterNames());
    }
}
