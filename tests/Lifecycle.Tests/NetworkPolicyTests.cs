using System.Net;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Network;

namespace Sources.Lifecycle.Tests;

public sealed class NetworkPolicyTests
{
    private static NetworkPolicy Policy(params string[] allow) => new(new NetworkSettings { Allow = [.. allow] });

    [Theory]
    [InlineData("169.254.169.254")]   // cloud metadata
    [InlineData("169.254.1.1")]       // link-local
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("100.100.100.200")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("::ffff:169.254.169.254")] // IPv4-mapped IPv6 is checked as IPv4
    public async Task Link_local_and_metadata_are_denied_whatever_is_allowed(string address)
    {
        var destination = await Policy("loopback", "private", "0.0.0.0/0", "::/0").Resolve(address, default);
        Assert.False(destination.IsAllowed);
        Assert.Equal(ProbeOutcome.InvalidConfig, destination.Outcome);
        Assert.Equal(NetworkPolicy.DeniedMessage, destination.Message);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    [InlineData("db.localhost")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.9")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("fd12:3456::1")]
    public async Task Loopback_and_private_ranges_are_denied_by_default(string host)
    {
        var destination = await Policy().Resolve(host, default);
        Assert.False(destination.IsAllowed);
        Assert.Equal(NetworkPolicy.DeniedMessage, destination.Message);
    }

    [Fact]
    public async Task Allowing_loopback_admits_loopback_but_not_private()
    {
        var policy = Policy("loopback");
        Assert.True((await policy.Resolve("127.0.0.1", default)).IsAllowed);
        Assert.True((await policy.Resolve("localhost", default)).IsAllowed);
        Assert.False((await policy.Resolve("10.0.0.1", default)).IsAllowed);
    }

    [Fact]
    public async Task A_cidr_entry_admits_exactly_its_range()
    {
        var policy = Policy("10.20.0.0/16");
        Assert.True((await policy.Resolve("10.20.5.5", default)).IsAllowed);
        Assert.False((await policy.Resolve("10.21.0.1", default)).IsAllowed);
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_denied_address_is_refused()
    {
        var policy = new NetworkPolicy(new NetworkSettings(), (_, _) => Task.FromResult(new[] { IPAddress.Parse("169.254.169.254") }));
        var destination = await policy.Resolve("innocent.example.com", default);
        Assert.False(destination.IsAllowed);
        Assert.Empty(destination.Addresses);
    }

    [Fact]
    public async Task One_internal_address_among_public_ones_refuses_the_name()
    {
        var policy = new NetworkPolicy(new NetworkSettings(),
            (_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.0.0.5") }));
        Assert.False((await policy.Resolve("mixed.example.com", default)).IsAllowed);
    }

    [Fact]
    public async Task The_checked_addresses_are_handed_back_for_the_driver_to_use()
    {
        var policy = new NetworkPolicy(new NetworkSettings(), (_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34") }));
        var destination = await policy.Resolve("public.example.com", default);
        Assert.True(destination.IsAllowed);
        Assert.Equal([IPAddress.Parse("93.184.216.34")], destination.Addresses);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_answers_exactly_as_one_that_resolves_to_a_denied_address()
    {
        var missing = await Policy().Resolve("no-such-host.invalid", default);
        var internalName = await new NetworkPolicy(new NetworkSettings(), (_, _) => Task.FromResult(new[] { IPAddress.Parse("10.0.0.5") }))
            .Resolve("postgres.default.svc.cluster.local", default);
        Assert.False(missing.IsAllowed);
        Assert.False(internalName.IsAllowed);
        Assert.Equal(ProbeOutcome.Unreachable, missing.Outcome);
        Assert.Equal((internalName.Outcome, internalName.Message!.Replace("postgres.default.svc.cluster.local", "X")),
            (missing.Outcome, missing.Message!.Replace("no-such-host.invalid", "X")));
    }

    [Theory]
    [InlineData("64:ff9b::a9fe:a9fe")]      // NAT64 of 169.254.169.254
    [InlineData("64:ff9b::169.254.169.254")]
    [InlineData("2002:a9fe:a9fe::1")]       // 6to4 of 169.254.169.254
    [InlineData("::ffff:0:169.254.169.254")] // IPv4-translated
    [InlineData("::169.254.169.254")]       // IPv4-compatible
    [InlineData("168.63.129.16")]           // Azure WireServer
    [InlineData("192.0.0.192")]             // Oracle Cloud metadata
    public async Task Metadata_inside_ipv6_forms_and_provider_endpoints_are_denied_whatever_is_allowed(string address)
    {
        var destination = await Policy("loopback", "private", "0.0.0.0/0", "::/0").Resolve(address, default);
        Assert.False(destination.IsAllowed);
        Assert.Equal(NetworkPolicy.DeniedMessage, destination.Message);
    }

    [Theory]
    [InlineData("64:ff9b::a00:5")]       // NAT64 of 10.0.0.5
    [InlineData("2002:7f00:1::1")]       // 6to4 of 127.0.0.1
    [InlineData("64:ff9b:1::a00:5")]     // local-use NAT64
    [InlineData("198.18.0.1")]
    [InlineData("240.0.0.1")]
    [InlineData("192.88.99.1")]
    [InlineData("fec0::1")]
    public async Task Private_addresses_inside_ipv6_forms_and_special_ranges_are_denied_by_default(string address)
    {
        var destination = await Policy().Resolve(address, default);
        Assert.False(destination.IsAllowed);
        Assert.Equal(NetworkPolicy.DeniedMessage, destination.Message);
    }

    [Theory]
    [InlineData("64:ff9b::5db8:d822")]   // NAT64 of 93.184.216.34
    [InlineData("2002:5db8:d822::1")]    // 6to4 of the same
    public async Task A_public_address_inside_an_ipv6_form_is_allowed(string address) =>
        Assert.True((await Policy().Resolve(address, default)).IsAllowed);
}
