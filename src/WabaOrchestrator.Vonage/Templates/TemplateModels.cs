using System.Text.Json.Serialization;

namespace WabaOrchestrator.Vonage.Templates;

/// <summary>A template (one language variant), as list and get return it.</summary>
public sealed record Template(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("status")] TemplateStatus Status,
    [property: JsonPropertyName("category")] TemplateCategory Category,
    [property: JsonPropertyName("components")] IReadOnlyList<TemplateComponent> Components,
    [property: JsonPropertyName("previous_category")] TemplateCategory? PreviousCategory = null,
    [property: JsonPropertyName("quality_score")] TemplateQualityScore? QualityScore = null,
    [property: JsonPropertyName("rejected_reason")] string? RejectedReason = null);

/// <summary>Body of create and update (the two operations take the same document).</summary>
public sealed record TemplateDefinition(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("category")] TemplateCategory Category,
    [property: JsonPropertyName("components")] IReadOnlyList<TemplateComponent> Components,
    [property: JsonPropertyName("allow_category_change")] bool? AllowCategoryChange = null);

/// <summary>
/// One part of a template. HEADER may be TEXT or a media format (IMAGE, VIDEO, DOCUMENT) whose
/// <c>example.header_handle</c> holds the handle a media upload returned; BUTTONS carries <see cref="Buttons"/>.
/// </summary>
public sealed record TemplateComponent(
    [property: JsonPropertyName("type")] ComponentType Type,
    [property: JsonPropertyName("format")] ComponentFormat? Format = null,
    [property: JsonPropertyName("text")] string? Text = null,
    [property: JsonPropertyName("example")] TemplateExample? Example = null,
    [property: JsonPropertyName("buttons")] IReadOnlyList<TemplateButton>? Buttons = null);

/// <summary>
/// Sample values reviewers see. <c>body_text</c> is an array holding ONE array of strings, one per
/// placeholder (the spec's example shows a string; that is a documentation slip).
/// </summary>
public sealed record TemplateExample(
    [property: JsonPropertyName("body_text")] IReadOnlyList<IReadOnlyList<string>>? BodyText = null,
    [property: JsonPropertyName("header_handle")] IReadOnlyList<string>? HeaderHandle = null,
    [property: JsonPropertyName("header_text")] IReadOnlyList<string>? HeaderText = null)
{
    /// <summary>An example for a body with placeholders {{1}}..{{n}}.</summary>
    public static TemplateExample ForBody(params string[] values) => new(BodyText: [values]);

    /// <summary>An example for a media header, from the <c>h</c> of a media upload.</summary>
    public static TemplateExample ForHeaderHandle(string handle) => new(HeaderHandle: [handle]);
}

public sealed record TemplateButton(
    [property: JsonPropertyName("type")] ButtonType Type,
    [property: JsonPropertyName("text")] string? Text = null,
    [property: JsonPropertyName("url")] string? Url = null,
    [property: JsonPropertyName("phone_number")] string? PhoneNumber = null);

/// <summary>The answer of create.</summary>
public sealed record CreatedTemplate(
    [property: JsonPropertyName("id")] string Id);

/// <summary>One page of the template list.</summary>
public sealed record TemplatePage(
    [property: JsonPropertyName("templates")] IReadOnlyList<Template> Templates,
    [property: JsonPropertyName("paging")] TemplatePaging? Paging = null)
{
    /// <summary>The cursor of the next page, or null on the last page.</summary>
    [JsonIgnore]
    public string? NextCursor => string.IsNullOrEmpty(Paging?.Next) ? null : Paging?.Cursors?.After;

    /// <summary>The cursor of the previous page, or null on the first page.</summary>
    [JsonIgnore]
    public string? PreviousCursor => string.IsNullOrEmpty(Paging?.Previous) ? null : Paging?.Cursors?.Before;
}

/// <summary>Paging as Vonage returns it: opaque cursors and the absolute next/previous URIs.</summary>
public sealed record TemplatePaging(
    [property: JsonPropertyName("cursors")] TemplateCursors? Cursors = null,
    [property: JsonPropertyName("next")] string? Next = null,
    [property: JsonPropertyName("previous")] string? Previous = null);

public sealed record TemplateCursors(
    [property: JsonPropertyName("before")] string? Before = null,
    [property: JsonPropertyName("after")] string? After = null);

/// <summary>Query of the template list; every member is optional.</summary>
public sealed record TemplateQuery
{
    /// <summary>1..500; Vonage defaults to 25.</summary>
    public int? Limit { get; init; }

    public string? Before { get; init; }

    public string? After { get; init; }

    public TemplateCategory? Category { get; init; }

    public string? Content { get; init; }

    public string? Language { get; init; }

    /// <summary>Full or partial name.</summary>
    public string? Name { get; init; }

    public string? NameOrContent { get; init; }

    public TemplateQualityScore? QualityScore { get; init; }

    public TemplateStatus? Status { get; init; }
}
