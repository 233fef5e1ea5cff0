using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.MySql;
using Sources.TestServers;

namespace Sources.Probing.Tests.MySql;

/// <summary>MYSQL when the server is gone or never answers.</summary>
public sealed class MySqlUnreachableTests
{
    [Fact]
    public async Task Stopped_server_is_unreachable()
    {
        await using var server = await MariaDbServer.StartAsync();
        var prober = new MySqlProber(Probes.Loopback);
        Assert.Equal(ProbeOutcome.Ok, (await prober.Probe(MySqlSettings.For(server.Port), Probes.Context, CancellationToken.None)).Outcome);

        await server.StopAsync();
        var result = await prober.Probe(MySqlSettings.For(server.Port), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unreachable, result.Outcome);
    }

    [Fact]
    public async Task Silent_listener_ends_at_the_deadline_as_timeout() =>
        Assert.Equal(ProbeOutcome.Timeout, (await SilentProbe.Run(_ => new MySqlProber(Probes.Loopback), port => MySqlSettings.For(port))).Outcome);
}
