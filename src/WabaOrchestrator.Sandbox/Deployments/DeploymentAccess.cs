using System.Text.Json.Nodes;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Deployments;

/// <summary>The look-ups every deployment endpoint starts with, in one place so their errors stay identical.</summary>
internal static class DeploymentAccess
{
    private const VonageApi Api = VonageApi.WhatsAppManager;

    public static VonageProblemResult NotFound(string id) => VonageProblems.NotFound(Api, $"Deployment {id} was not found.");

    /// <summary>Runs <paramref name="action"/> under the deployment's lock, only when it is READY.</summary>
    public static IResult WhenReady(DeploymentStore store, string id, Func<Deployment, IResult> action)
    {
        if (!store.TryGet(id, out var deployment))
        {
            return NotFound(id);
        }

        lock (deployment.Gate)
        {
            return deployment.State == DeploymentState.Ready
                ? action(deployment)
                : VonageProblems.ConflictState($"Deployment {id} is {deployment.State.Title()}; this operation needs READY.");
        }
    }

    /// <summary>Reads the body and, when it parses, runs <paramref name="action"/> on a READY deployment.</summary>
    public static async Task<IResult> WhenReadyWithBody(DeploymentStore store, string id, HttpRequest request, Func<Deployment, JsonObject, IResult> action)
    {
        if (!store.TryGet(id, out _))
        {
            return NotFound(id);
        }

        var (body, problem) = await SandboxJson.ReadObjectAsync(request, Api);
        return problem ?? WhenReady(store, id, deployment => action(deployment, body!));
    }

    public static VonageProblemResult Invalid(IReadOnlyList<InvalidParameter> errors, string code = "unprocessable") =>
        VonageProblems.Unprocessable(Api, errors, code);
}
