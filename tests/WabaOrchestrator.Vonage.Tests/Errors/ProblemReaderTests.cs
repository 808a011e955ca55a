using System.Net;
using WabaOrchestrator.Vonage.Errors;

namespace WabaOrchestrator.Vonage.Tests.Errors;

public sealed class ProblemReaderTests
{
    [Fact]
    public void AProvisioningProblem_IsParsedWithEveryField()
    {
        var error = VonageProblemReader.Parse(HttpStatusCode.UnprocessableEntity, """
            {"type":"https://developer.nexmo.com/api-errors/whatsapp-provisioning#verification-failed","title":"Verification failed",
             "detail":"Invalid code","instance":"bf0ca0bf927b3b52e3cb03217e1a1ddf",
             "invalid_parameters":[{"name":"code","reason":"Invalid code provided."}]}
            """, retryAfter: null);

        Assert.Equal("verification-failed", error.Code);
        Assert.Equal("Verification failed", error.Title);
        Assert.Equal("Invalid code", error.Detail);
        Assert.Equal("bf0ca0bf927b3b52e3cb03217e1a1ddf", error.Instance);
        Assert.Equal(new VonageInvalidParameter("code", "Invalid code provided."), Assert.Single(error.InvalidParameters));
        Assert.True(error.IsVerificationFailed);
        Assert.Contains("422", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATemplateProblem_TakesInstanceId_AndItsNumericCode()
    {
        var error = VonageProblemReader.Parse(HttpStatusCode.TooManyRequests, """
            {"type":"https://developer.nexmo.com/api-errors/messages-olympus#1000","title":"Throttled","detail":"wait","instance_id":"abc-123"}
            """, TimeSpan.FromSeconds(3));

        Assert.Equal("1000", error.Code);
        Assert.Equal("abc-123", error.Instance);
        Assert.True(error.IsThrottled);
        Assert.True(error.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("")]
    [InlineData("[1,2,3]")]
    public void ANonProblemBody_StillProducesTheException_WithTheRawBody(string body)
    {
        var error = VonageProblemReader.Parse(HttpStatusCode.BadGateway, body, retryAfter: null);

        Assert.Null(error.Code);
        Assert.Equal(body, error.RawBody);
        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.True(error.IsTransient);
        Assert.Empty(error.InvalidParameters);
    }

    [Fact]
    public void NumberInUse_ExposesTheExistingDeploymentId()
    {
        var error = VonageProblemReader.Parse(HttpStatusCode.Conflict, """
            {"type":"https://developer.nexmo.com/api-errors/whatsapp-provisioning#number-in-use","title":"Number in use",
             "detail":"Active deployment already exists with id aaaaaaaa-bbbb-cccc-dddd-0123456789ab"}
            """, retryAfter: null);

        Assert.True(error.IsNumberInUse);
        Assert.True(error.IsConflict);
        Assert.Equal("aaaaaaaa-bbbb-cccc-dddd-0123456789ab", error.ExistingDeploymentId);
    }

    [Fact]
    public void RetryAfter_AsAnHttpDate_IsADelayFromNow()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), VonageProblemReader.RetryAfterOf(response, new Infrastructure.ManualTimeProvider(now)));
    }
}
