using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.ClickHouse;
using Sources.Silo.Probing.Network;
using Sources.TestServers;

namespace Sources.Probing.Tests.ClickHouse;

/// <summary>CLICKHOUSE when nothing listens, nothing answers, or the host is not allowed.</summary>
public sealed class ClickHouseUnreachableTests
{
    private static readonly ClickHouseProber Prober = new(Probes.Loopback, Probes.Settings());

    [Fact]
    public async Task Refused_port_is_unreachable()
    {
        var result = await Prober.Probe(ClickHouseSettings.For(FreePort.Next()), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unreachable, result.Outcome);
    }

    [Fact]
    public async Task Silent_listener_ends_at_the_deadline_as_timeout()
    {
        using var silent = new SilentListener();
        var settings = Probes.Settings(deadlineSeconds: 2);
        var runner = Probes.Runner(new ClickHouseProber(Probes.Loopback, settings), settings);

        var result = await runner.Run("CLICKHOUSE", ClickHouseSettings.For(silent.Port), [], CancellationToken.None);

        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
    }

    [Fact]
    public async Task Metadata_address_is_refused_with_the_generic_message()
    {
        var result = await Prober.Probe(ClickHouseSettings.For(8123, host: "169.254.169.254"), CancellationToken.None);

        Assert.Equal(ProbeOutcome.InvalidConfig, result.Outcome);
        Assert.Equal(NetworkPolicy.DeniedMessage, result.Message);
    }
}
