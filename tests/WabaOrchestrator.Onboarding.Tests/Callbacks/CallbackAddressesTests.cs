using System.Net;
using WabaOrchestrator.Onboarding.Callbacks;

namespace WabaOrchestrator.Onboarding.Tests.Callbacks;

public sealed class CallbackAddressesTests
{
    [Theory]
    // IPv4
    [InlineData("8.8.8.8", CallbackAddressKind.Public)]
    [InlineData("93.184.215.14", CallbackAddressKind.Public)]
    [InlineData("100.63.255.255", CallbackAddressKind.Public)]
    [InlineData("100.128.0.0", CallbackAddressKind.Public)]
    [InlineData("172.32.0.1", CallbackAddressKind.Public)]
    [InlineData("127.0.0.1", CallbackAddressKind.Private)]
    [InlineData("127.255.255.254", CallbackAddressKind.Private)]
    [InlineData("10.1.2.3", CallbackAddressKind.Private)]
    [InlineData("172.16.0.1", CallbackAddressKind.Private)]
    [InlineData("172.31.255.255", CallbackAddressKind.Private)]
    [InlineData("192.168.1.10", CallbackAddressKind.Private)]
    [InlineData("100.64.0.1", CallbackAddressKind.Private)]
    [InlineData("100.127.255.255", CallbackAddressKind.Private)]
    [InlineData("169.254.1.1", CallbackAddressKind.Private)]
    [InlineData("169.254.169.254", CallbackAddressKind.Blocked)]
    [InlineData("169.254.170.2", CallbackAddressKind.Blocked)]
    [InlineData("168.63.129.16", CallbackAddressKind.Blocked)]
    [InlineData("100.100.100.200", CallbackAddressKind.Blocked)]
    [InlineData("0.0.0.0", CallbackAddressKind.Blocked)]
    [InlineData("0.1.2.3", CallbackAddressKind.Blocked)]
    [InlineData("224.0.0.1", CallbackAddressKind.Blocked)]
    [InlineData("239.255.255.250", CallbackAddressKind.Blocked)]
    [InlineData("255.255.255.255", CallbackAddressKind.Blocked)]
    [InlineData("240.0.0.1", CallbackAddressKind.Blocked)]
    [InlineData("192.0.0.192", CallbackAddressKind.Blocked)]
    [InlineData("192.0.2.1", CallbackAddressKind.Blocked)]
    [InlineData("198.51.100.7", CallbackAddressKind.Blocked)]
    [InlineData("203.0.113.9", CallbackAddressKind.Blocked)]
    [InlineData("198.18.0.1", CallbackAddressKind.Blocked)]
    // IPv6
    [InlineData("2606:4700:4700::1111", CallbackAddressKind.Public)]
    [InlineData("2a00:1450:4009:81f::200e", CallbackAddressKind.Public)]
    [InlineData("::1", CallbackAddressKind.Private)]
    [InlineData("fc00::1", CallbackAddressKind.Private)]
    [InlineData("fd12:3456:789a::1", CallbackAddressKind.Private)]
    [InlineData("fe80::1", CallbackAddressKind.Private)]
    [InlineData("fe80::1%2", CallbackAddressKind.Private)]
    [InlineData("fd00:ec2::254", CallbackAddressKind.Blocked)]
    [InlineData("::", CallbackAddressKind.Blocked)]
    [InlineData("ff02::1", CallbackAddressKind.Blocked)]
    [InlineData("ff05::1:3", CallbackAddressKind.Blocked)]
    [InlineData("2001:db8::1", CallbackAddressKind.Blocked)]
    [InlineData("3fff::1", CallbackAddressKind.Blocked)]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", CallbackAddressKind.Blocked)]
    [InlineData("100::1", CallbackAddressKind.Blocked)]
    [InlineData("4000::1", CallbackAddressKind.Blocked)]
    // IPv4 inside IPv6: judged by the IPv4 address
    [InlineData("::ffff:127.0.0.1", CallbackAddressKind.Private)]
    [InlineData("::ffff:7f00:1", CallbackAddressKind.Private)]
    [InlineData("::ffff:10.0.0.1", CallbackAddressKind.Private)]
    [InlineData("::ffff:169.254.169.254", CallbackAddressKind.Blocked)]
    [InlineData("::ffff:8.8.8.8", CallbackAddressKind.Public)]
    [InlineData("::127.0.0.1", CallbackAddressKind.Private)]
    [InlineData("::169.254.169.254", CallbackAddressKind.Blocked)]
    [InlineData("64:ff9b::127.0.0.1", CallbackAddressKind.Private)]
    [InlineData("64:ff9b::a9fe:a9fe", CallbackAddressKind.Blocked)]
    [InlineData("64:ff9b::808:808", CallbackAddressKind.Public)]
    [InlineData("64:ff9b:1::1", CallbackAddressKind.Private)]
    [InlineData("2002:7f00:1::1", CallbackAddressKind.Private)]
    [InlineData("2002:a9fe:a9fe::1", CallbackAddressKind.Blocked)]
    [InlineData("2002:808:808::1", CallbackAddressKind.Public)]
    [InlineData("::ffff:0:127.0.0.1", CallbackAddressKind.Blocked)]
    public void Classify_AnAddress_PutsItInItsRange(string address, CallbackAddressKind kind) =>
        Assert.Equal(kind, CallbackAddresses.Classify(IPAddress.Parse(address)).Kind);

    [Theory]
    [InlineData("8.8.8.8", false, true)]
    [InlineData("127.0.0.1", false, false)]
    [InlineData("127.0.0.1", true, true)]
    [InlineData("::ffff:192.168.0.1", true, true)]
    [InlineData("::ffff:192.168.0.1", false, false)]
    [InlineData("169.254.169.254", true, false)]
    [InlineData("::ffff:169.254.169.254", true, false)]
    [InlineData("fd00:ec2::254", true, false)]
    [InlineData("168.63.129.16", true, false)]
    [InlineData("0.0.0.0", true, false)]
    [InlineData("::", true, false)]
    [InlineData("224.0.0.251", true, false)]
    public void IsAllowed_PrivateAddressesOnlyWhenAllowed_MetadataNever(string address, bool allowPrivate, bool allowed) =>
        Assert.Equal(allowed, CallbackAddresses.IsAllowed(IPAddress.Parse(address), allowPrivate));

    [Fact]
    public void Classify_AMappedMetadataAddress_NamesTheFormAndTheRange() =>
        Assert.Equal("IPv4-mapped 169.254.169.254: cloud metadata", CallbackAddresses.Classify(IPAddress.Parse("::ffff:169.254.169.254")).Range);
}
