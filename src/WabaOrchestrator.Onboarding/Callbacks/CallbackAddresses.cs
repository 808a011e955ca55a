using System.Net;
using System.Net.Sockets;

namespace WabaOrchestrator.Onboarding.Callbacks;

/// <summary>Where an address sits for status callbacks.</summary>
public enum CallbackAddressKind
{
    /// <summary>Global unicast: callbacks may connect.</summary>
    Public,

    /// <summary>Loopback, private, shared (CGNAT), link-local, unique-local: only with <c>AllowPrivateAddresses</c>.</summary>
    Private,

    /// <summary>Cloud metadata, unspecified, multicast, broadcast, reserved, documentation: never.</summary>
    Blocked,
}

/// <summary>The class of an address and the name of its range, for the refusal message.</summary>
public readonly record struct CallbackAddressClass(CallbackAddressKind Kind, string Range);

/// <summary>
/// Classifies the addresses a status callback could connect to. IPv6 forms that carry an IPv4 address (mapped,
/// compatible, NAT64, 6to4) are judged by that IPv4 address, since the packets end up there; IPv6 outside global
/// unicast (2000::/3) is blocked whole rather than listed range by range.
/// </summary>
public static class CallbackAddresses
{
    private const CallbackAddressKind Public = CallbackAddressKind.Public;
    private const CallbackAddressKind Private = CallbackAddressKind.Private;
    private const CallbackAddressKind Blocked = CallbackAddressKind.Blocked;

    // First match wins: the metadata hosts sit inside ranges that AllowPrivateAddresses opens.
    private static readonly (IPNetwork Network, CallbackAddressKind Kind, string Range)[] V4 =
    [
        (IPNetwork.Parse("169.254.169.254/32"), Blocked, "cloud metadata"),
        (IPNetwork.Parse("169.254.170.2/32"), Blocked, "cloud metadata (AWS ECS credentials)"),
        (IPNetwork.Parse("168.63.129.16/32"), Blocked, "cloud metadata (Azure wire server)"),
        (IPNetwork.Parse("100.100.100.200/32"), Blocked, "cloud metadata (Alibaba)"),
        (IPNetwork.Parse("0.0.0.0/8"), Blocked, "unspecified"),
        (IPNetwork.Parse("10.0.0.0/8"), Private, "private"),
        (IPNetwork.Parse("100.64.0.0/10"), Private, "shared address space (CGNAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), Private, "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), Private, "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), Private, "private"),
        (IPNetwork.Parse("192.0.0.0/24"), Blocked, "reserved (IETF protocol assignments)"),
        (IPNetwork.Parse("192.0.2.0/24"), Blocked, "documentation"),
        (IPNetwork.Parse("192.88.99.0/24"), Blocked, "reserved (6to4 relay anycast)"),
        (IPNetwork.Parse("192.168.0.0/16"), Private, "private"),
        (IPNetwork.Parse("198.18.0.0/15"), Blocked, "reserved (benchmarking)"),
        (IPNetwork.Parse("198.51.100.0/24"), Blocked, "documentation"),
        (IPNetwork.Parse("203.0.113.0/24"), Blocked, "documentation"),
        (IPNetwork.Parse("224.0.0.0/4"), Blocked, "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), Blocked, "reserved or broadcast"),
    ];

    private static readonly (IPNetwork Network, CallbackAddressKind Kind, string Range)[] V6 =
    [
        (IPNetwork.Parse("fd00:ec2::254/128"), Blocked, "cloud metadata (AWS)"),
        (IPNetwork.Parse("::/128"), Blocked, "unspecified"),
        (IPNetwork.Parse("::1/128"), Private, "loopback"),
        (IPNetwork.Parse("64:ff9b:1::/48"), Private, "NAT64 local-use"),
        (IPNetwork.Parse("::/8"), Blocked, "reserved"),
        (IPNetwork.Parse("100::/64"), Blocked, "reserved (discard-only)"),
        (IPNetwork.Parse("2001:db8::/32"), Blocked, "documentation"),
        (IPNetwork.Parse("2001::/23"), Blocked, "reserved (IETF protocol assignments, Teredo)"),
        (IPNetwork.Parse("3fff::/20"), Blocked, "documentation"),
        (IPNetwork.Parse("fc00::/7"), Private, "unique-local"),
        (IPNetwork.Parse("fe80::/10"), Private, "link-local"),
        (IPNetwork.Parse("fec0::/10"), Private, "site-local"),
        (IPNetwork.Parse("ff00::/8"), Blocked, "multicast"),
        (IPNetwork.Parse("2000::/3"), Public, "global unicast"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    public static bool IsAllowed(IPAddress address, bool allowPrivateAddresses) => Classify(address).Kind switch
    {
        CallbackAddressKind.Public => true,
        CallbackAddressKind.Private => allowPrivateAddresses,
        _ => false,
    };

    public static CallbackAddressClass Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return Match(V4, address, Public, "public");
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return new(Blocked, "not an IP address");
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return Embedded("IPv4-mapped", address.MapToIPv4());
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            return Embedded("NAT64", new IPAddress(bytes.AsSpan(12, 4)));
        }

        // :: and ::1 are IPv6's own; the rest of ::/96 is the deprecated IPv4-compatible form.
        if (Compatible.Contains(address) && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback))
        {
            return Embedded("IPv4-compatible", new IPAddress(bytes.AsSpan(12, 4)));
        }

        if (SixToFour.Contains(address))
        {
            return Embedded("6to4", new IPAddress(bytes.AsSpan(2, 4)));
        }

        // Without the scope id a link-local address is still link-local; IPNetwork compares the bytes alone.
        return Match(V6, new IPAddress(bytes), Blocked, "reserved (not global unicast)");
    }

    private static CallbackAddressClass Embedded(string form, IPAddress v4)
    {
        var inner = Match(V4, v4, Public, "public");
        return inner with { Range = $"{form} {v4}: {inner.Range}" };
    }

    private static CallbackAddressClass Match(
        (IPNetwork Network, CallbackAddressKind Kind, string Range)[] table, IPAddress address, CallbackAddressKind otherwise, string otherwiseRange)
    {
        foreach (var (network, kind, range) in table)
        {
            if (network.Contains(address))
            {
                return new(kind, range);
            }
        }

        return new(otherwise, otherwiseRange);
    }
}
