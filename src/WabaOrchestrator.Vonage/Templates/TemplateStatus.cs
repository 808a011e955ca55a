using System.Text.Json.Serialization;
using WabaOrchestrator.Vonage.Models;

namespace WabaOrchestrator.Vonage.Templates;

/// <summary>A template's review status (the list filter and the template object document slightly different sets; this is their union). Values Vonage adds later are kept as they come.</summary>
[JsonConverter(typeof(StringValueJsonConverter<TemplateStatus>))]
public readonly record struct TemplateStatus(string Value) : IStringValue<TemplateStatus>
{
    public static TemplateStatus Approved { get; } = new("APPROVED");

    public static TemplateStatus InAppeal { get; } = new("IN_APPEAL");

    public static TemplateStatus Pending { get; } = new("PENDING");

    public static TemplateStatus Rejected { get; } = new("REJECTED");

    public static TemplateStatus Disabled { get; } = new("DISABLED");

    public static TemplateStatus Paused { get; } = new("PAUSED");

    public static TemplateStatus LimitExceeded { get; } = new("LIMIT_EXCEEDED");

    public static TemplateStatus PendingDeletion { get; } = new("PENDING_DELETION");

    public static TemplateStatus Deleted { get; } = new("DELETED");

    public static TemplateStatus Locked { get; } = new("LOCKED");

    public static IReadOnlyList<TemplateStatus> Known { get; } = [Approved, InAppeal, Pending, Rejected, Disabled, Paused, LimitExceeded, PendingDeletion, Deleted, Locked];

    public static TemplateStatus From(string value) => new(value);

    public override string ToString() => Value ?? "";
}
