using System.Globalization;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.EndToEnd.Tests.Reliability;

/// <summary>
/// The sandbox's own per-operation counters (<c>/_sandbox/stats</c>): what Vonage saw, independent of anything the
/// host says about itself. The sandbox is a separate process, so its counts survive every host crash.
/// </summary>
internal sealed class SandboxCounts(Dictionary<string, Dictionary<string, int>> counts)
{
    private const string Deployments = "/v0.1/whatsapp-manager/deployments";

    public const string Provision = "POST " + Deployments;
    public const string Verify = "POST " + Deployments + "/{deployment_id}/verify";
    public const string ResendOtp = "POST " + Deployments + "/{deployment_id}/resend-otp";
    public const string DeleteDeployment = "DELETE " + Deployments + "/{deployment_id}";
    public const string CreateTemplate = "POST /v2/whatsapp-manager/wabas/{id}/templates";

    public static async Task<SandboxCounts> ReadAsync(ProcessStack stack) => new(await stack.SandboxStatsAsync());

    /// <summary>Answers of <paramref name="operation"/> with <paramref name="status"/>; 0 when never seen.</summary>
    public int Count(string operation, int status) =>
        counts.TryGetValue(operation, out var byStatus) && byStatus.TryGetValue(status.ToString(CultureInfo.InvariantCulture), out var n) ? n : 0;

    /// <summary>Every answer of <paramref name="operation"/>, whatever its status.</summary>
    public int Total(string operation) => counts.TryGetValue(operation, out var byStatus) ? byStatus.Values.Sum() : 0;

    public int ServerErrors => counts.Values.SelectMany(s => s).Where(s => s.Key.StartsWith('5')).Sum(s => s.Value);

    public override string ToString() =>
        "Sandbox stats:\n" + string.Join('\n', counts.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => $"  {c.Key}: {string.Join(", ", c.Value.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}×{s.Value}"))}"));
}
