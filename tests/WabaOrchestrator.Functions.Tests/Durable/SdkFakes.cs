using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;

namespace WabaOrchestrator.Functions.Tests.Durable;

/// <summary>Shapes of SDK objects the tests hand to the adapters.</summary>
internal static class SdkFakes
{
    public static OrchestrationMetadata Instance(string id, OrchestrationRuntimeStatus status, string name = "OnboardingOrchestrator") =>
        new(name, id) { RuntimeStatus = status, CreatedAt = DateTimeOffset.UnixEpoch, LastUpdatedAt = DateTimeOffset.UnixEpoch };

    public static Mock<DurableTaskClient> Client() => new(MockBehavior.Strict, "test");

    public static void HasInstance(this Mock<DurableTaskClient> client, string id, OrchestrationMetadata? instance) =>
        client.Setup(c => c.GetInstanceAsync(id, It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync(instance);

    public static AsyncPageable<OrchestrationMetadata> Pages(params Page<OrchestrationMetadata>[] pages)
    {
        var pageable = new Mock<AsyncPageable<OrchestrationMetadata>>(MockBehavior.Strict);
        pageable.Setup(p => p.AsPages(It.IsAny<string?>(), It.IsAny<int?>())).Returns(pages.ToAsyncEnumerable());
        return pageable.Object;
    }

    private static async IAsyncEnumerable<T> ToAsyncEnumerable<T>(this IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}
