using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.MongoDb;
using Sources.TestServers;

namespace Sources.Probing.Tests.MongoDb;

/// <summary>
/// MONGODB failures without a MongoDB server (none can run on this machine): a closed port, a
/// port that never answers, names that do not resolve (plain and SRV), hosts not allowed.
/// </summary>
public sealed class MongoProberTests
{
    private static readonly MongoProber Prober = new(Probes.Loopback);

    private static JsonObject Settings(string connectionString) => new() { ["type"] = "MONGODB", ["connection_string"] = connectionString };

    [Fact]
    public async Task Refused_port_is_unreachable_without_waiting_for_server_selection()
    {
        // A 10 s deadline, so a timeout here would mean the refusal was not noticed.
        var result = await Prober.Probe(Settings($"mongodb://reader:s3cret@localhost:{FreePort.Next()}/app"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unreachable, result.Outcome);
    }

    [Fact]
    public async Task Silent_listener_ends_at_the_deadline_as_timeout() =>
        Assert.Equal(ProbeOutcome.Timeout, (await SilentProbe.Run(_ => new MongoProber(Probes.Loopback), port => Settings($"mongodb://reader:s3cret@localhost:{port}/app"))).Outcome);

    [Fact]
    public async Task Unknown_host_is_unreachable()
    {
        var result = await Prober.Probe(Settings("mongodb://reader:s3cret@nosuchhost.invalid:27017/app"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unreachable, result.Outcome);
        Assert.Contains("nosuchhost.invalid", result.Message);
    }

    [Fact]
    public async Task Srv_name_that_does_not_resolve_is_unreachable()
    {
        var result = await Prober.Probe(Settings("mongodb+srv://reader:s3cret@nosuchcluster.invalid/app"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unreachable, result.Outcome);
        Assert.Contains("nosuchcluster.invalid", result.Message);
    }

    [Fact]
    public async Task Metadata_address_is_refused_with_the_generic_message() =>
        ProbeResults.AssertDenied(await Prober.Probe(Settings("mongodb://reader:s3cret@169.254.169.254:27017/app"), Probes.Context, CancellationToken.None));

    [Fact]
    public async Task One_denied_host_among_several_refuses_the_source()
    {
        ProbeResults.AssertDenied(await Prober.Probe(Settings($"mongodb://localhost:{FreePort.Next()},169.254.169.254:27017/app?replicaSet=rs0"), Probes.Context, CancellationToken.None));
    }
}
