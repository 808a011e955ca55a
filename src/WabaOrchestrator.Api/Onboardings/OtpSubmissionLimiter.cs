using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace WabaOrchestrator.Api.Onboardings;

/// <summary>How many OTPs an operator may submit to one onboarding (<c>Onboarding:OtpSubmissions:*</c>).</summary>
public sealed class OtpSubmissionOptions
{
    public const string SectionName = "Onboarding:OtpSubmissions";

    /// <summary>Submissions accepted per onboarding in each <see cref="Window"/>.</summary>
    [Range(1, 1000)]
    public int PermitLimit { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// A fixed window of <see cref="OtpSubmissionOptions.PermitLimit"/> submissions per onboarding, so a leaked API key
/// cannot guess codes at the speed of HTTP, nor one noisy onboarding crowd the others. Per process: on Azure each
/// worker instance keeps its own count (the platform spreads requests, so the bound there is per instance).
/// </summary>
public sealed class OtpSubmissionLimiter(IOptions<OtpSubmissionOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(id =>
        RateLimitPartition.GetFixedWindowLimiter(id, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.PermitLimit,
            Window = options.Value.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);

    public int PermitLimit => options.Value.PermitLimit;

    public TimeSpan Window => options.Value.Window;

    /// <summary>Null when <paramref name="instanceId"/> may submit now; otherwise how long until it may again.</summary>
    public TimeSpan? TryAcquire(string instanceId)
    {
        using var lease = _limiter.AttemptAcquire(instanceId);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : options.Value.Window;
    }

    public void Dispose() => _limiter.Dispose();
}
