using System.ComponentModel.DataAnnotations;

namespace WabaOrchestrator.Sandbox.Templates;

/// <summary>
/// Bounds on the template store (<c>Sandbox:Templates:*</c>), so a long-running sandbox never grows
/// without limit: at most <see cref="MaxTemplates"/> templates in all, seeded ones included.
/// </summary>
internal sealed class TemplateLimits
{
    public const string SectionName = "Sandbox:Templates";

    [Range(1, 1_000_000)]
    public int MaxWabas { get; set; } = 10_000;

    [Range(1, 1_000_000)]
    public int MaxTemplatesPerWaba { get; set; } = 10_000;

    [Range(1, 10_000_000)]
    public int MaxTemplates { get; set; } = 200_000;
}
