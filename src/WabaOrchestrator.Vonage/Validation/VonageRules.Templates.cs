using System.Text.RegularExpressions;
using WabaOrchestrator.Vonage.Models;
using WabaOrchestrator.Vonage.Templates;

namespace WabaOrchestrator.Vonage.Validation;

public static partial class VonageRules
{
    public const int MaxBody = 1024;
    public const int MaxHeaderText = 60;
    public const int MaxFooter = 60;
    public const int MaxButtons = 10;
    public const int MaxButtonText = 25;
    public const int MaxUrlButtons = 2;
    public const int MaxPhoneButtons = 1;

    /// <summary>Meta's rules for a template create or update (what the review would reject outright).</summary>
    public static IReadOnlyList<ValidationProblem> Template(TemplateDefinition template)
    {
        var problems = new List<ValidationProblem>();
        if (template.Name is null || !TemplateName().IsMatch(template.Name))
        {
            problems.Add(new("name", "Must be 1 to 512 lowercase letters, digits or underscores."));
        }

        if (IsBlank(template.Language) || !LanguageCode().IsMatch(template.Language))
        {
            problems.Add(new("language", "Must be a WhatsApp language code such as en or en_US."));
        }

        if (!template.Category.IsKnown())
        {
            problems.Add(new("category", $"Must be one of: {string.Join(", ", TemplateCategory.Known)}."));
        }

        var components = template.Components ?? [];
        if (components.Count == 0)
        {
            problems.Add(new("components", "Must contain a BODY component."));
            return problems;
        }

        var counts = new Dictionary<ComponentType, int>();
        var buttons = new List<(int Component, int Index, TemplateButton Button)>();
        for (var i = 0; i < components.Count; i++)
        {
            var component = components[i];
            var field = $"components[{i}]";
            // JSON's [null] deserializes to a null element: a caller's mistake to name, not a crash.
            if (component is null)
            {
                problems.Add(new(field, "Must be a component object."));
                continue;
            }

            counts[component.Type] = counts.GetValueOrDefault(component.Type) + 1;
            if (component.Type == ComponentType.Body)
            {
                Body(problems, field, component);
            }
            else if (component.Type == ComponentType.Header)
            {
                Header(problems, field, component);
            }
            else if (component.Type == ComponentType.Footer)
            {
                TextOf(problems, field, component, MaxFooter);
            }
            else if (component.Type == ComponentType.Buttons)
            {
                var list = component.Buttons ?? [];
                if (list.Count == 0)
                {
                    problems.Add(new($"{field}.buttons", "A BUTTONS component needs at least one button."));
                }

                for (var j = 0; j < list.Count; j++)
                {
                    if (list[j] is null)
                    {
                        problems.Add(new($"{field}.buttons[{j}]", "Must be a button object."));
                    }
                    else
                    {
                        buttons.Add((i, j, list[j]));
                    }
                }
            }
            else
            {
                problems.Add(new($"{field}.type", $"Must be one of: {string.Join(", ", ComponentType.Known)}."));
            }
        }

        if (counts.GetValueOrDefault(ComponentType.Body) != 1)
        {
            problems.Add(new("components", "Must contain exactly one BODY component."));
        }

        foreach (var single in new[] { ComponentType.Header, ComponentType.Footer, ComponentType.Buttons })
        {
            if (counts.GetValueOrDefault(single) > 1)
            {
                problems.Add(new("components", $"At most one {single} component."));
            }
        }

        Buttons(problems, buttons);
        return problems;
    }

    private static void Body(List<ValidationProblem> problems, string field, TemplateComponent component)
    {
        if (component.Format is { } format && format != ComponentFormat.Text)
        {
            problems.Add(new($"{field}.format", "A BODY's format must be TEXT."));
        }

        if (!TextOf(problems, field, component, MaxBody))
        {
            return;
        }

        var text = component.Text!;
        var numbers = Placeholder().Matches(text).Select(m => int.TryParse(m.Groups[1].ValueSpan, out var n) ? n : -1).ToList();
        if (numbers.Count == 0)
        {
            return;
        }

        var distinct = numbers.Distinct().Order().ToList();
        if (distinct[0] != 1 || distinct[^1] != distinct.Count)
        {
            problems.Add(new($"{field}.text", "Placeholders must be numbered {{1}}, {{2}}, … without gaps."));
        }

        var trimmed = text.Trim();
        if (Placeholder().Match(trimmed) is { Index: 0 })
        {
            problems.Add(new($"{field}.text", "Must not start with a placeholder."));
        }

        if (trimmed.EndsWith("}}", StringComparison.Ordinal) && Placeholder().Matches(trimmed) is { Count: > 0 } all && all[^1].Index + all[^1].Length == trimmed.Length)
        {
            problems.Add(new($"{field}.text", "Must not end with a placeholder."));
        }

        var examples = component.Example?.BodyText;
        if (examples is not { Count: 1 } || examples[0] is null || examples[0].Count != distinct.Count || examples[0].Any(string.IsNullOrWhiteSpace))
        {
            problems.Add(new($"{field}.example.body_text", $"Must hold one array of {distinct.Count} non-empty example values, one per placeholder."));
        }
    }

    private static void Header(List<ValidationProblem> problems, string field, TemplateComponent component)
    {
        var format = component.Format ?? ComponentFormat.Text;
        if (format == ComponentFormat.Text)
        {
            TextOf(problems, field, component, MaxHeaderText);
        }
        else if (format == ComponentFormat.Image || format == ComponentFormat.Video || format == ComponentFormat.Document)
        {
            if (component.Example?.HeaderHandle is not { Count: > 0 } handles || handles.Any(string.IsNullOrWhiteSpace))
            {
                problems.Add(new($"{field}.example.header_handle", "A media HEADER needs the handle (h) of a media upload."));
            }
        }
        else
        {
            problems.Add(new($"{field}.format", "A HEADER's format must be TEXT, IMAGE, VIDEO or DOCUMENT."));
        }
    }

    private static bool TextOf(List<ValidationProblem> problems, string field, TemplateComponent component, int max)
    {
        if (IsBlank(component.Text))
        {
            problems.Add(new($"{field}.text", "Is required."));
            return false;
        }

        if (component.Text.Length > max)
        {
            problems.Add(new($"{field}.text", $"Must be at most {max} characters."));
            return false;
        }

        return true;
    }

    private static void Buttons(List<ValidationProblem> problems, List<(int Component, int Index, TemplateButton Button)> buttons)
    {
        if (buttons.Count > MaxButtons)
        {
            problems.Add(new("components", $"At most {MaxButtons} buttons."));
        }

        if (buttons.Count(b => b.Button.Type == ButtonType.Url) > MaxUrlButtons)
        {
            problems.Add(new("components", $"At most {MaxUrlButtons} URL buttons."));
        }

        if (buttons.Count(b => b.Button.Type == ButtonType.PhoneNumber) > MaxPhoneButtons)
        {
            problems.Add(new("components", $"At most {MaxPhoneButtons} PHONE_NUMBER button."));
        }

        foreach (var (component, index, button) in buttons)
        {
            var field = $"components[{component}].buttons[{index}]";
            if (IsBlank(button.Text) || button.Text.Length > MaxButtonText)
            {
                problems.Add(new($"{field}.text", $"Must be 1 to {MaxButtonText} characters."));
            }

            if (button.Type == ButtonType.Url && (button.Url is null || !IsHttpUrl(button.Url)))
            {
                problems.Add(new($"{field}.url", "A URL button needs an absolute http(s) url."));
            }
            else if (button.Type == ButtonType.PhoneNumber && (IsBlank(button.PhoneNumber) || !PhoneNumber().IsMatch(button.PhoneNumber)))
            {
                problems.Add(new($"{field}.phone_number", "A PHONE_NUMBER button needs a phone_number (digits, optionally starting with +)."));
            }
            else if (!button.Type.IsKnown())
            {
                problems.Add(new($"{field}.type", $"Must be one of: {string.Join(", ", ButtonType.Known)}."));
            }
        }
    }

    [GeneratedRegex("^[a-z]{2,3}(_[A-Za-z]{2,4})?$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageCode();

    [GeneratedRegex(@"^\+?[0-9]{3,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneNumber();
}
