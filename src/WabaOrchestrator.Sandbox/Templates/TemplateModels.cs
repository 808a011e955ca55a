namespace WabaOrchestrator.Sandbox.Templates;

/// <summary>A template as the API returns it (one object per name and language).</summary>
internal sealed record Template(
    string Id,
    string Name,
    string Language,
    string Status,
    string Category,
    string? PreviousCategory,
    string? QualityScore,
    string? RejectedReason,
    IReadOnlyList<TemplateComponent> Components);

internal sealed record TemplateComponent(
    string Type,
    string? Format = null,
    string? Text = null,
    TemplateExample? Example = null,
    IReadOnlyList<TemplateButton>? Buttons = null);

internal sealed record TemplateExample(
    IReadOnlyList<IReadOnlyList<string>>? BodyText = null,
    IReadOnlyList<string>? HeaderText = null,
    IReadOnlyList<string>? HeaderHandle = null);

internal sealed record TemplateButton(string Type, string Text, string? Url = null, string? PhoneNumber = null);

/// <summary>A validated create or update request.</summary>
internal sealed record TemplateDefinition(string Name, string Language, string Category, IReadOnlyList<TemplateComponent> Components);

internal sealed record TemplatePaging(TemplateCursors Cursors, string? Next, string? Previous);

internal sealed record TemplateCursors(string? Before, string? After);

internal sealed record TemplateCreated(string Id);

internal static class TemplateStatuses
{
    public const string Approved = "APPROVED";
    public const string Pending = "PENDING";
    public const string Rejected = "REJECTED";
    public const string Paused = "PAUSED";
    public const string Disabled = "DISABLED";

    /// <summary>The statuses the list filter accepts (the spec's filter enum).</summary>
    public static readonly IReadOnlyList<string> Filterable = [Approved, "IN_APPEAL", Pending, Rejected, Disabled, Paused, "LIMIT_EXCEEDED"];

    /// <summary>Meta lets a template be edited only once it is out of review and not disabled.</summary>
    public static readonly IReadOnlyList<string> Editable = [Approved, Rejected, Paused];
}

internal static class TemplateCategories
{
    public const string Utility = "UTILITY";
    public const string Authentication = "AUTHENTICATION";
    public const string Marketing = "MARKETING";

    public static readonly IReadOnlyList<string> All = [Utility, Authentication, Marketing];
}

internal static class QualityScores
{
    public const string Green = "GREEN";
    public const string Yellow = "YELLOW";
    public const string Red = "RED";
    public const string Unknown = "UNKNOWN";

    public static readonly IReadOnlyList<string> All = [Green, Yellow, Red, Unknown];
}

internal static class ComponentTypes
{
    public const string Header = "HEADER";
    public const string Body = "BODY";
    public const string Footer = "FOOTER";
    public const string Buttons = "BUTTONS";

    public static readonly IReadOnlyList<string> All = [Header, Body, Footer, Buttons];
}

internal static class ComponentFormats
{
    public const string Text = "TEXT";
    public const string Image = "IMAGE";
    public const string Video = "VIDEO";
    public const string Document = "DOCUMENT";

    public static readonly IReadOnlyList<string> Header = [Text, Image, Video, Document];
}

internal static class ButtonTypes
{
    public const string QuickReply = "QUICK_REPLY";
    public const string Url = "URL";
    public const string PhoneNumber = "PHONE_NUMBER";

    public static readonly IReadOnlyList<string> All = [QuickReply, Url, PhoneNumber];
}
