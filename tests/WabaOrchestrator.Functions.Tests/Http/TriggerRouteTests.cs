using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using WabaOrchestrator.Functions.Http;

namespace WabaOrchestrator.Functions.Tests.Http;

/// <summary>
/// The Functions host must serve the local host's API exactly: the same routes and methods, each bound to the same Api
/// handler. The local side is read from the real endpoint table <c>MapWabaApi</c> builds; the Functions side from the
/// trigger attributes and the handler each trigger's code calls.
/// </summary>
public sealed class TriggerRouteTests
{
    private static readonly IReadOnlyList<LocalRoute> Local = LocalApi.Routes();
    private static readonly IReadOnlyList<Trigger> AllTriggers = FunctionTriggers();

    // The API's triggers: every HTTP trigger but the dashboard's, the one deliberate extra (checked on its own below).
    private static readonly IReadOnlyList<Trigger> Triggers = [.. AllTriggers.Where(t => t.Name != DashboardTrigger.Name)];

    [Fact]
    public void EveryLocalRoute_HasExactlyOneTriggerWithTheSameMethodAndPath()
    {
        var local = Local.SelectMany(r => r.Methods.Select(m => $"{m} {r.Path}")).Order().ToList();
        var functions = Triggers.SelectMany(t => t.Methods.Select(m => $"{m} {t.Path}")).Order().ToList();

        Assert.NotEmpty(local);
        Assert.Equal(local, functions);
    }

    [Fact]
    public void EveryTrigger_CallsTheHandlerTheLocalHostMapsToItsRoute()
    {
        foreach (var trigger in Triggers)
        {
            var expected = Local.Single(r => r.Path == trigger.Path && r.Methods.SequenceEqual(trigger.Methods)).Handler;
            var handlers = CalledHandlers(trigger.Method, [.. Local.Select(r => r.Handler)]);
            Assert.True(handlers.SetEquals([expected]),
                $"{trigger.Name} ({string.Join(",", trigger.Methods)} {trigger.Path}) calls [{string.Join(", ", handlers.Select(Describe))}], expected {Describe(expected)}.");
        }
    }

    [Fact]
    public void OnlyTheInboundSmsWebhook_IsAnonymous_EveryOtherTriggerNeedsAFunctionKey()
    {
        var anonymous = Triggers.Where(t => t.AuthLevel == AuthorizationLevel.Anonymous).Select(t => t.Name).ToList();

        Assert.Equal(["InboundSms"], anonymous);
        Assert.All(Triggers.Where(t => t.Name != "InboundSms"), t => Assert.Equal(AuthorizationLevel.Function, t.AuthLevel));
        Assert.Equal("/api/" + WebhookTriggers.InboundSmsRoute, Triggers.Single(t => t.Name == "InboundSms").Path);
    }

    [Fact]
    public void TheOnlyTriggerBeyondTheLocalRouteTable_IsTheDashboards_GetUnderDashboardWithAFunctionKey()
    {
        var extra = Assert.Single(AllTriggers, t => !Local.Any(r => r.Path == t.Path));

        Assert.Equal(DashboardTrigger.Name, extra.Name);
        Assert.Equal("/api/dashboard/{*file}", extra.Path);
        Assert.Equal(["GET"], extra.Methods);
        Assert.Equal(AuthorizationLevel.Function, extra.AuthLevel);
        Assert.Equal(typeof(DashboardTrigger), extra.Method.DeclaringType);
        Assert.Single(AllTriggers, t => t.Name == DashboardTrigger.Name);
    }

    [Fact]
    public void FunctionNames_AreUnique()
    {
        var names = typeof(ApiCall).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()?.Name)
            .OfType<string>()
            .ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void EveryRouteParameter_IsATriggerParameterOfTheSameName()
    {
        foreach (var trigger in Triggers)
        {
            var routeValues = trigger.Path.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}'));
            var parameters = trigger.Method.GetParameters().Where(p => p.ParameterType == typeof(string)).Select(p => p.Name);
            Assert.Equal(routeValues.Order(), parameters.Order());
        }
    }

    [Fact]
    public void LocalBodyLimits_AreOnlyOnTheRoutesWhoseTriggersSetThem()
    {
        // The Functions worker ignores endpoint metadata: the triggers set these limits themselves. A new limited
        // route needs its trigger to pass the limit to ApiCall, and this list updated.
        var limited = LocalApi.Endpoints()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {LocalApi.Normalize(e.RoutePattern.RawText!)}"))
            .Order();

        Assert.Equal(
            [
                "PATCH /api/deployments/{id}/profile",
                "POST /api/deployments/{id}/profile/photo",
                "POST /api/deployments/{id}/resend-otp",
                "POST /api/deployments/{id}/stickerpacks",
                "POST /api/deployments/{id}/stickerpacks/{sid}/stickers",
                "POST /api/onboardings",
                "POST /api/onboardings/{id}/otp",
                "POST /api/wabas/{wabaId}/templates",
                "PUT /api/wabas/{wabaId}/templates/{templateId}",
            ],
            limited);
    }

    private sealed record Trigger(string Name, string Path, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel, MethodInfo Method);

    private static List<Trigger> FunctionTriggers() =>
        typeof(ApiCall).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>(), Http: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).OfType<HttpTriggerAttribute>().SingleOrDefault()))
            .Where(x => x.Function is not null && x.Http is not null)
            .Select(x => new Trigger(
                x.Function!.Name,
                LocalApi.Normalize("/api/" + x.Http!.Route),
                [.. x.Http.Methods!.Select(m => m.ToUpperInvariant()).Order()],
                x.Http.AuthLevel,
                x.Method))
            .ToList();

    /// <summary>The handlers among <paramref name="handlers"/> that <paramref name="method"/> or its lambdas call.</summary>
    private static HashSet<MethodInfo> CalledHandlers(MethodInfo method, HashSet<MethodInfo> handlers)
    {
        var found = new HashSet<MethodInfo>();
        var seen = new HashSet<MethodBase>();
        var pending = new Stack<MethodBase>([method]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current) || current.GetMethodBody()?.GetILAsByteArray() is not { } il)
            {
                continue;
            }

            foreach (var callee in ReferencedMethods(current, il))
            {
                if (callee is MethodInfo info && handlers.Contains(info))
                {
                    found.Add(info);
                }
                else if (callee.DeclaringType is { } type && IsCompilerGenerated(type) || callee.IsDefined(typeof(CompilerGeneratedAttribute)) || callee.Name.StartsWith('<'))
                {
                    pending.Push(callee);
                }
            }
        }

        return found;
    }

    // call, callvirt, newobj and ldftn operands are method tokens; other bytes that happen to match resolve to
    // nothing (or to unrelated methods, which match no handler).
    private static IEnumerable<MethodBase> ReferencedMethods(MethodBase method, byte[] il)
    {
        for (var i = 0; i < il.Length - 4; i++)
        {
            var operand = il[i] is 0x28 or 0x6F or 0x73 ? i + 1 : il[i] == 0xFE && il[i + 1] == 0x06 && i + 5 < il.Length ? i + 2 : -1;
            if (operand < 0)
            {
                continue;
            }

            MethodBase? resolved;
            try
            {
                resolved = method.Module.ResolveMethod(BitConverter.ToInt32(il, operand));
            }
            catch (Exception ex) when (ex is ArgumentException or BadImageFormatException)
            {
                continue;
            }

            if (resolved is not null)
            {
                yield return resolved;
            }
        }
    }

    private static bool IsCompilerGenerated(Type type) => type.IsDefined(typeof(CompilerGeneratedAttribute)) || type.Name.StartsWith('<');

    private static string Describe(MethodInfo method) => $"{method.DeclaringType?.Name}.{method.Name}";
}
