using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WabaOrchestrator.Sandbox.Infrastructure;
using WabaOrchestrator.Sandbox.Media;

namespace WabaOrchestrator.Sandbox.Templates;

/// <summary>
/// Meta's template rules, applied to a create or update body. Every violation is collected with a
/// JSON-path-like name (<c>components[0].example.body_text</c>) so a caller can fix all at once.
/// </summary>
internal sealed partial class TemplateValidator(MediaUploadStore uploads, TimeProvider time)
{
    public const int MaxNameLength = 512;
    public const int MaxBodyLength = 1024;
    public const int MaxHeaderLength = 60;
    public const int MaxFooterLength = 60;
    public const int MaxButtons = 10;
    public const int MaxButtonTextLength = 25;
    public const int MaxUrlButtons = 2;
    public const int MaxPhoneNumberButtons = 1;
    public const int MaxUrlLength = 2000;

    public (TemplateDefinition? Definition, IReadOnlyList<InvalidParameter> Errors) Validate(JsonObject body)
    {
        var fields = new FieldReader(body);
        var name = fields.RequiredString("name", MaxNameLength, NamePattern(), "Must contain only lowercase letters, digits and underscores.");
        var language = fields.RequiredString("language");
        if (language is not null && !TemplateLanguages.Codes.Contains(language))
        {
            fields.Fail("language", "Must be a supported WhatsApp template language code, such as en, en_US or pt_BR.");
        }

        var category = OneOf(fields, "category", TemplateCategories.All, required: true);
        fields.OptionalBool("allow_category_change");
        var components = ReadComponents(fields);
        return fields.IsValid
            ? (new TemplateDefinition(name!, language!, category!, components), [])
            : (null, fields.Errors);
    }

    private List<TemplateComponent> ReadComponents(FieldReader fields)
    {
        var result = new List<TemplateComponent>();
        if (fields.OptionalArray("components") is not { } array)
        {
            if (!fields.Errors.Any(e => e.Name == "components"))
            {
                fields.Fail("components", "Is required: an array holding at least a BODY component.");
            }

            return result;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var path = $"components[{i}]";
            if (array[i] is not JsonObject item)
            {
                fields.Fail(path, "Must be an object.");
                continue;
            }

            var component = new FieldReader(item);
            var type = OneOf(component, "type", ComponentTypes.All, required: true);
            if (type is not null && !seen.Add(type))
            {
                component.Fail("type", $"A template can have only one {type} component.");
                type = null;
            }

            if (type != ComponentTypes.Buttons && item.ContainsKey("buttons"))
            {
                component.Fail("buttons", "Only a BUTTONS component can hold buttons.");
            }

            var parsed = type switch
            {
                ComponentTypes.Header => ReadHeader(component, item),
                ComponentTypes.Body => ReadBody(component, item),
                ComponentTypes.Footer => ReadFooter(component),
                ComponentTypes.Buttons => ReadButtons(component),
                _ => null,
            };
            foreach (var error in component.Errors)
            {
                fields.Fail($"{path}.{error.Name}", error.Reason);
            }

            if (parsed is not null)
            {
                result.Add(parsed);
            }
        }

        if (!seen.Contains(ComponentTypes.Body))
        {
            fields.Fail("components", "Exactly one BODY component is required.");
        }

        return result;
    }

    private static TemplateComponent ReadBody(FieldReader component, JsonObject item)
    {
        RequireTextFormat(component);
        var text = component.RequiredString("text", MaxBodyLength);
        if (text is null)
        {
            return new(ComponentTypes.Body, ComponentFormats.Text);
        }

        var count = CheckPlaceholders(component, text, allowAtEdges: false);
        if (count <= 0)
        {
            return new(ComponentTypes.Body, ComponentFormats.Text, text);
        }

        var values = ReadBodyExample(component, item, count);
        return new(ComponentTypes.Body, ComponentFormats.Text, text, values is null ? null : new TemplateExample(BodyText: [values]));
    }

    private TemplateComponent? ReadHeader(FieldReader component, JsonObject item)
    {
        var format = OneOf(component, "format", ComponentFormats.Header, required: true);
        switch (format)
        {
            case ComponentFormats.Text:
                var text = component.RequiredString("text", MaxHeaderLength);
                if (text is null)
                {
                    return null;
                }

                // Meta allows one variable in a text header, with its value in example.header_text.
                var count = CheckPlaceholders(component, text, allowAtEdges: true);
                if (count > 1)
                {
                    component.Fail("text", "A text header can hold at most one placeholder, {{1}}.");
                    return null;
                }

                var headerText = count == 1 ? ReadStrings(component, item, "header_text", 1) : null;
                return new(ComponentTypes.Header, format, text, headerText is null ? null : new TemplateExample(HeaderText: headerText));
            case ComponentFormats.Image or ComponentFormats.Video or ComponentFormats.Document:
                var handles = ReadStrings(component, item, "header_handle", 1);
                if (handles is null || !CheckHandle(component, format, handles[0]))
                {
                    return null;
                }

                return new(ComponentTypes.Header, format, Example: new TemplateExample(HeaderHandle: handles));
            default:
                return null;
        }
    }

    private static TemplateComponent? ReadFooter(FieldReader component)
    {
        RequireTextFormat(component);
        var text = component.RequiredString("text", MaxFooterLength);
        if (text is not null && PlaceholderPattern().IsMatch(text))
        {
            component.Fail("text", "A footer cannot hold placeholders.");
            return null;
        }

        return text is null ? null : new(ComponentTypes.Footer, ComponentFormats.Text, text);
    }

    private static TemplateComponent? ReadButtons(FieldReader component)
    {
        if (component.OptionalArray("buttons") is not { } array)
        {
            if (!component.Errors.Any(e => e.Name == "buttons"))
            {
                component.Fail("buttons", "Is required for a BUTTONS component.");
            }

            return null;
        }

        if (array.Count is 0 or > MaxButtons)
        {
            component.Fail("buttons", $"Must hold between 1 and {MaxButtons} buttons.");
            return null;
        }

        var buttons = new List<TemplateButton>();
        for (var j = 0; j < array.Count; j++)
        {
            var path = $"buttons[{j}]";
            if (array[j] is not JsonObject item)
            {
                component.Fail(path, "Must be an object.");
                continue;
            }

            var button = new FieldReader(item);
            var type = OneOf(button, "type", ButtonTypes.All, required: true);
            var text = button.RequiredString("text", MaxButtonTextLength);
            string? url = null, phone = null;
            if (type == ButtonTypes.Url)
            {
                url = button.RequiredString("url", MaxUrlLength);
                if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
                {
                    button.Fail("url", "Must be an absolute http or https URL.");
                }
            }
            else if (type == ButtonTypes.PhoneNumber)
            {
                phone = button.RequiredString("phone_number", 20, PhonePattern(), "Must be a phone number of 5 to 20 digits, optionally starting with +.");
            }

            foreach (var error in button.Errors)
            {
                component.Fail($"{path}.{error.Name}", error.Reason);
            }

            if (button.IsValid)
            {
                buttons.Add(new TemplateButton(type!, text!, url, phone));
            }
        }

        if (buttons.Count(b => b.Type == ButtonTypes.Url) > MaxUrlButtons)
        {
            component.Fail("buttons", $"At most {MaxUrlButtons} URL buttons are allowed.");
        }

        if (buttons.Count(b => b.Type == ButtonTypes.PhoneNumber) > MaxPhoneNumberButtons)
        {
            component.Fail("buttons", $"At most {MaxPhoneNumberButtons} PHONE_NUMBER button is allowed.");
        }

        return component.IsValid ? new(ComponentTypes.Buttons, Buttons: buttons) : null;
    }

    /// <summary>
    /// Checks <c>{{n}}</c> placeholders: well formed, numbered 1..n without gaps and, in a body,
    /// neither the very first nor the very last thing in the text. Returns n.
    /// </summary>
    private static int CheckPlaceholders(FieldReader component, string text, bool allowAtEdges)
    {
        var numbers = new SortedSet<int>();
        foreach (Match match in PlaceholderPattern().Matches(text))
        {
            var inner = match.Groups[1].Value;
            if (!PlaceholderNumberPattern().IsMatch(inner) || !int.TryParse(inner, out var number))
            {
                component.Fail("text", $"Placeholder {match.Value} is malformed: use {{{{1}}}}, {{{{2}}}}, ... in sequence.");
                return -1;
            }

            numbers.Add(number);
        }

        if (numbers.Count == 0)
        {
            return 0;
        }

        if (numbers.Min != 1 || numbers.Max != numbers.Count)
        {
            component.Fail("text", $"Placeholders must be numbered {{{{1}}}} to {{{{{numbers.Count}}}}} in sequence, without gaps.");
            return -1;
        }

        var trimmed = text.Trim();
        if (!allowAtEdges && (trimmed.StartsWith("{{", StringComparison.Ordinal) || trimmed.EndsWith("}}", StringComparison.Ordinal)))
        {
            component.Fail("text", "A placeholder cannot be at the very start or the very end of the body.");
            return -1;
        }

        return numbers.Count;
    }

    private static IReadOnlyList<string>? ReadBodyExample(FieldReader component, JsonObject item, int count)
    {
        const string path = "example.body_text";
        var reason = $"Must be an array holding one array of {count} example value(s), one per placeholder.";
        var example = ReadExample(component, item);
        if (example is null)
        {
            return null;
        }

        if (!example.TryGetPropertyValue("body_text", out var node) || node is null)
        {
            component.Fail(path, "Is required when the body has placeholders. " + reason);
            return null;
        }

        if (node is not JsonArray { Count: 1 } outer || outer[0] is not JsonArray inner)
        {
            component.Fail(path, reason);
            return null;
        }

        if (inner.Count != count)
        {
            component.Fail(path + "[0]", $"Must hold {count} example value(s), one per placeholder; it holds {inner.Count}.");
            return null;
        }

        return StringsOf(component, inner, path + "[0]");
    }

    /// <summary>Reads <c>example.{name}</c> as an array of exactly <paramref name="count"/> non-empty strings.</summary>
    private static IReadOnlyList<string>? ReadStrings(FieldReader component, JsonObject item, string name, int count)
    {
        var path = "example." + name;
        var example = ReadExample(component, item);
        if (example is null)
        {
            return null;
        }

        if (!example.TryGetPropertyValue(name, out var node) || node is not JsonArray array || array.Count != count)
        {
            component.Fail(path, $"Is required: an array holding {count} string(s).");
            return null;
        }

        return StringsOf(component, array, path);
    }

    private static JsonObject? ReadExample(FieldReader component, JsonObject item)
    {
        if (item.TryGetPropertyValue("example", out var node) && node is JsonObject example)
        {
            return example;
        }

        component.Fail("example", node is null ? "Is required: the component has placeholders or media." : "Must be an object.");
        return null;
    }

    private static List<string>? StringsOf(FieldReader component, JsonArray array, string path)
    {
        var values = new List<string>(array.Count);
        for (var k = 0; k < array.Count; k++)
        {
            if (array[k] is not JsonValue value || value.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetValue<string>()))
            {
                component.Fail($"{path}[{k}]", "Must be a non-empty string.");
                return null;
            }

            values.Add(value.GetValue<string>());
        }

        return values;
    }

    /// <summary>A media header must point at a file uploaded here, of the kind the format announces.</summary>
    private bool CheckHandle(FieldReader component, string format, string handle)
    {
        const string path = "example.header_handle[0]";
        var expected = format switch
        {
            ComponentFormats.Image => MediaKind.Image,
            ComponentFormats.Video => MediaKind.Video,
            _ => MediaKind.Document,
        };

        // Vonage's upload accepts no document type, so a DOCUMENT handle cannot have been issued by
        // this sandbox: it is checked for shape, kind and expiry only.
        string fileType;
        if (expected == MediaKind.Document)
        {
            if (!MediaHandle.TryParse(handle, out fileType, out var expiresAt) || expiresAt <= time.GetUtcNow())
            {
                component.Fail(path, "Must be an unexpired media upload handle.");
                return false;
            }
        }
        else if (uploads.Find(handle) is { } upload)
        {
            fileType = upload.FileType;
        }
        else
        {
            component.Fail(path, "Must be a handle returned by POST /v2/whatsapp-manager/media/uploads that has not expired.");
            return false;
        }

        if (MediaFileTypes.KindOf(fileType) != expected)
        {
            component.Fail(path, $"The handle is for a {fileType} file, which does not fit a {format} header.");
            return false;
        }

        return true;
    }

    private static void RequireTextFormat(FieldReader component)
    {
        var format = component.OptionalString("format");
        if (format is not null && !format.Equals(ComponentFormats.Text, StringComparison.OrdinalIgnoreCase))
        {
            component.Fail("format", "Must be TEXT.");
        }
    }

    /// <summary>Reads an enum-valued string, accepting any case and returning Meta's upper-case spelling.</summary>
    private static string? OneOf(FieldReader fields, string name, IReadOnlyList<string> allowed, bool required)
    {
        var value = required ? fields.RequiredString(name) : fields.OptionalString(name);
        if (value is null)
        {
            return null;
        }

        var match = allowed.FirstOrDefault(a => a.Equals(value, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            fields.Fail(name, "Must be one of " + string.Join(", ", allowed) + ".");
        }

        return match;
    }

    [GeneratedRegex("^[a-z0-9_]{1,512}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"\{\{(.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex("^[1-9][0-9]{0,2}$")]
    private static partial Regex PlaceholderNumberPattern();

    [GeneratedRegex(@"^\+?[0-9]{5,20}$")]
    private static partial Regex PhonePattern();
}
