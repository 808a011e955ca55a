using FsCheck;
using FsCheck.Fluent;

namespace WabaOrchestrator.Durable.Sqlite.Tests.Properties;

public enum ArrivalKind
{
    RaiseA,
    RaiseB,
    RaiseC,

    /// <summary>Moves the manual clock ten minutes: the first advance makes the first timer due, the second the other.</summary>
    Advance,

    /// <summary>An event nobody waits for: it stays buffered and must change nothing.</summary>
    Noise,
}

/// <summary>
/// One arrival. <see cref="Shout"/> raises the name in upper case (names are case-insensitive); <see cref="Settle"/>
/// waits until the instance has caught up with everything so far, so events land both on pending waits and in the
/// buffer.
/// </summary>
public sealed record Arrival(ArrivalKind Kind, bool Shout, bool Settle)
{
    public override string ToString() => $"{Kind}{(Shout ? "!" : "")}{(Settle ? "~" : "")}";
}

public sealed record AbcCase(IReadOnlyList<Arrival> Arrivals, int A, int B, int C)
{
    public override string ToString() => $"[{string.Join(' ', Arrivals)}] A={A} B={B} C={C}";
}

public sealed record ItemsCase(IReadOnlyList<int> Items, IReadOnlyList<bool> Shout, IReadOnlyList<bool> Settle)
{
    public override string ToString() =>
        string.Join(' ', Items.Select((item, i) => $"{item}{(Shout[i] ? "!" : "")}{(Settle[i] ? "~" : "")}"));
}

internal static class ArrivalCases
{
    private static readonly Gen<bool> Coin = Gen.Elements(true, false);

    /// <summary>A, B, C, two clock advances and up to two noise events, in any order, each shouted and settled or not.</summary>
    public static Arbitrary<AbcCase> Abc() =>
        (from noise in Gen.Choose(0, 2)
         from kinds in Gen.Shuffle(new[] { ArrivalKind.RaiseA, ArrivalKind.RaiseB, ArrivalKind.RaiseC, ArrivalKind.Advance, ArrivalKind.Advance }
             .Concat(Enumerable.Repeat(ArrivalKind.Noise, noise)))
         from shout in Gen.ArrayOf(Coin, kinds.Length)
         from settle in Gen.ArrayOf(Coin, kinds.Length)
         from payloads in Gen.ArrayOf(Gen.Choose(0, 999), 3)
         select new AbcCase(kinds.Select((k, i) => new Arrival(k, shout[i], settle[i])).ToArray(), payloads[0], payloads[1], payloads[2]))
        .ToArbitrary();

    /// <summary>The same arrivals in the straight order: A, B, C, then the clock, each waited for.</summary>
    public static AbcCase Straight(AbcCase shuffled) =>
        shuffled with
        {
            Arrivals = [.. new[] { ArrivalKind.RaiseA, ArrivalKind.RaiseB, ArrivalKind.RaiseC, ArrivalKind.Advance, ArrivalKind.Advance }
                .Select(k => new Arrival(k, Shout: false, Settle: true))],
        };

    /// <summary>One to eight payloads raised under the same name, some into a pending wait, some into the buffer.</summary>
    public static Arbitrary<ItemsCase> Items() =>
        (from count in Gen.Choose(1, 8)
         from items in Gen.ArrayOf(Gen.Choose(-1_000, 1_000), count)
         from shout in Gen.ArrayOf(Coin, count)
         from settle in Gen.ArrayOf(Coin, count)
         select new ItemsCase(items, shout, settle))
        .ToArbitrary();
}
