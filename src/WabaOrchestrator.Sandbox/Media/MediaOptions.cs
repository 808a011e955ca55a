using System.ComponentModel.DataAnnotations;

namespace WabaOrchestrator.Sandbox.Media;

/// <summary>Settings of the media upload simulation (<c>Sandbox:Media:*</c>).</summary>
internal sealed class MediaOptions
{
    public const string SectionName = "Sandbox:Media";

    /// <summary>How long a handle can be used in a template; written into the handle as <c>e:&lt;unix expiry&gt;</c>.</summary>
    public TimeSpan HandleLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Handles remembered; past it the oldest is forgotten, so memory stays bounded.</summary>
    [Range(1, 1_000_000)]
    public int MaxHandles { get; set; } = 10_000;
}
