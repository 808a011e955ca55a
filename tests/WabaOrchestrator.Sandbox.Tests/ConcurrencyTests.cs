using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests;

public sealed class ConcurrencyTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task ParallelProvisions_OfDistinctNumbersAllWin_AndOfOneNumberExactlyOneWins()
    {
        var contested = SandboxApi.UniqueNumber();
        var numbers = Enumerable.Range(0, 100).Select(_ => SandboxApi.UniqueNumber())
            .Concat(Enumerable.Repeat(contested, 20))
            .OrderBy(_ => Random.Shared.Next())
            .ToList();

        var outcomes = await Task.WhenAll(numbers.Select(async number =>
        {
            using var response = await sandbox.Client.PostAsJsonAsync(SandboxApi.Deployments, SandboxApi.ProvisionBody(number));
            return (Number: number, response.StatusCode, Body: await response.Content.ReadFromJsonAsync<JsonElement>());
        }));

        Assert.All(outcomes.Where(o => o.Number != contested), o => Assert.Equal(HttpStatusCode.Accepted, o.StatusCode));
        var duplicates = outcomes.Where(o => o.Number == contested).ToList();
        var winner = Assert.Single(duplicates, o => o.StatusCode == HttpStatusCode.Accepted);
        var winnerId = winner.Body.GetProperty("deployment_id").GetString();
        Assert.All(duplicates.Where(o => o.StatusCode != HttpStatusCode.Accepted), o =>
        {
            Assert.Equal(HttpStatusCode.Conflict, o.StatusCode);
            Assert.Equal($"Active deployment already exists with id {winnerId}", o.Body.GetProperty("detail").GetString());
        });
    }

    [Fact]
    public async Task ConcurrentVerifies_OfOneDeployment_SucceedExactlyOnce()
    {
        var id = await sandbox.Client.ProvisionAsync();
        await sandbox.Client.WaitForStateAsync(id, "CODE_SENT");
        var code = await sandbox.Client.OtpAsync(id);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await sandbox.Client.VerifyAsync(id, code);
            return response.StatusCode;
        }));

        Assert.Single(statuses, s => s == HttpStatusCode.Created);
        Assert.All(statuses.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.Conflict, s));
    }
}
