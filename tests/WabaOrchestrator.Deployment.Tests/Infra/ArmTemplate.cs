using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace WabaOrchestrator.Deployment.Tests.Infra;

/// <summary>
/// A compiled ARM template, read as JSON. Expressions are not evaluated: a test compares them as the text Bicep
/// emits (<c>[parameters('x')]</c>), which is enough to see where a value comes from.
/// </summary>
public sealed partial class ArmTemplate(JsonObject json)
{
    public JsonObject Json { get; } = json;

    public JsonObject Parameters => Json["parameters"]?.AsObject() ?? [];

    public JsonObject Variables => Json["variables"]?.AsObject() ?? [];

    public IEnumerable<JsonObject> Resources => Json["resources"]!.AsArray().Select(r => r!.AsObject());

    public IEnumerable<JsonObject> ResourcesOfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type) => Assert.Single(ResourcesOfType(type));

    /// <summary>A module (a nested deployment named as in main.bicep) and the template it deploys.</summary>
    public (JsonObject Parameters, ArmTemplate Template) Module(string name)
    {
        var deployment = Assert.Single(ResourcesOfType("Microsoft.Resources/deployments"), d => (string?)d["name"] == name);
        return (deployment["properties"]!["parameters"]!.AsObject(), new ArmTemplate(deployment["properties"]!["template"]!.AsObject()));
    }

    /// <summary>The expression text of a parameter reference.</summary>
    public static string Parameter(string name) => $"[parameters('{name}')]";

    /// <summary>The names of the variables an expression reads, in order.</summary>
    public static IReadOnlyList<string> VariablesIn(string? expression) =>
        expression is null ? [] : [.. VariableReference().Matches(expression).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"variables\('(\w+)'\)")]
    private static partial Regex VariableReference();
}
