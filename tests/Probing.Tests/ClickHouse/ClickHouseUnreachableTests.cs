using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.ClickHouse;
using Sources.TestServers;

namespace Sources.Probing.Tests.ClickHouse;

/// <summary>CLICKHOUSE when nothing listens, nothing answers, or the host is not allowed.</summary>
public sealed class ClickHouseUnreachableTests
{
    private static readonly ClickHouseProber Prober = new(Probes.Loopback);

    [Fact]
    public async Task Refused_port_is_unreachable()
    {
        var result = await Prober.Probe(ClickHouseSettings.For(FreePort.Next()), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unreachable, result.Outcome);
    }

    [Fact]
    public async Task Silent_listener_ends_at_the_deadline_as_timeout() =>
        Assert.Equal(ProbeOutcome.Timeout, (await SilentProbe.Run(_ => new ClickHouseProber(Probes.Loopback), port => ClickHouseSettings.For(port))).Outcome);

    [Fact]
    public async Task Metadata_address_is_refused_with_the_generic_message() =>
        ProbeResults.AssertDenied(await Prober.Probe(ClickHouseSettings.For(8123, host: "169.254.169.254"), Probes.Context, CancellationToken.None));
}
