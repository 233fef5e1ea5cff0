using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace Sources.Silo.Hosting;

/// <summary>
/// "Sources:Cluster", the part that says how fast a postgres-mode cluster notices a lost node and
/// how long a request that met one keeps trying (docs/cluster.md). Orleans' own defaults are made
/// for large clusters on busy networks and take tens of seconds to declare a node dead; these take
/// a few, which is what a client waiting on a create can bear.
/// </summary>
public sealed class ClusterFailoverSettings
{
    /// <summary>How long a node waits for a liveness probe's answer at first; Orleans adapts it to
    /// the round trips it sees, between half and four times this, and probes as often.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Probes missed in a row before a node votes that its peer is dead.</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>Votes that declare a node dead (Orleans asks for at most half of the live nodes).</summary>
    public int VotesForDeath { get; set; } = 2;

    /// <summary>How often each node writes its heartbeat to the membership table; an entry without
    /// one for three periods no longer counts as a voter or a go-between for probes.</summary>
    public TimeSpan IAmAlivePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often each node reads the membership table, beside the gossip that carries changes at once.</summary>
    public TimeSpan TableRefreshPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the membership row of a dead node is kept (for diagnosis) before it is removed.</summary>
    public TimeSpan DefunctSiloExpiration { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often an API-only node (role client) and the command line read the list of gateways.</summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a grain call waits for its answer before it fails as unanswered (the probe
    /// call of a test has its own, longer bound: the probe's deadline).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a call that is safe to repeat (a read, a create under its fresh id) is tried
    /// again after it met a lost node, while the cluster declares it dead and places its grains elsewhere.</summary>
    public TimeSpan LostNodeRetry { get; set; } = TimeSpan.FromSeconds(10);

    public static ClusterFailoverSettings From(IConfiguration configuration)
    {
        var settings = ValidatedSettings.Read<ClusterFailoverSettings>(configuration, ClusterTransportSettings.Section);
        foreach (var (name, value) in new[]
        {
            (nameof(ProbeTimeout), settings.ProbeTimeout), (nameof(IAmAlivePeriod), settings.IAmAlivePeriod),
            (nameof(TableRefreshPeriod), settings.TableRefreshPeriod), (nameof(DefunctSiloExpiration), settings.DefunctSiloExpiration),
            (nameof(GatewayListRefreshPeriod), settings.GatewayListRefreshPeriod), (nameof(ResponseTimeout), settings.ResponseTimeout),
        })
            if (value <= TimeSpan.Zero)
                throw new SettingsRefusedException([$"{ClusterTransportSettings.Section}:{name} is {value}; it must be positive."]);
        if (settings.LostNodeRetry < TimeSpan.Zero)
            throw new SettingsRefusedException([$"{ClusterTransportSettings.Section}:{nameof(LostNodeRetry)} is {settings.LostNodeRetry}; it must not be negative (0 turns retrying off)."]);
        if (settings.MissedProbesLimit < 1 || settings.VotesForDeath < 1)
            throw new SettingsRefusedException([$"{ClusterTransportSettings.Section}:{nameof(MissedProbesLimit)} and :{nameof(VotesForDeath)} must be at least 1."]);
        return settings;
    }

    /// <summary>Membership: how a silo watches its peers and the table.</summary>
    public void Configure(ClusterMembershipOptions membership)
    {
        membership.ProbeTimeout = ProbeTimeout;
        membership.NumMissedProbesLimit = MissedProbesLimit;
        membership.NumVotesForDeathDeclaration = VotesForDeath;
        membership.IAmAliveTablePublishTimeout = IAmAlivePeriod;
        membership.TableRefreshTimeout = TableRefreshPeriod;
        membership.DefunctSiloExpiration = DefunctSiloExpiration;
    }

    /// <summary>
    /// The grain directory: a killed node's grains may register elsewhere as soon as it is declared
    /// dead. Orleans can hold them back for a lease, in case the node was wrongly declared dead and
    /// still serves them; with probes this quick that lease would outlast the detection itself. It
    /// is not needed here: every stored write names the version it read, so a node wrongly declared
    /// dead cannot overwrite what the grain's new activation stored.
    /// </summary>
    public static void Configure(GrainDirectoryOptions directory) => directory.RangeLeaseDuration = TimeSpan.Zero;

    /// <summary>Messaging of a silo or a client: how long a call waits for its answer.</summary>
    public void Configure(MessagingOptions messaging) => messaging.ResponseTimeout = ResponseTimeout;

    /// <summary>A client's view of the gateways.</summary>
    public void Configure(GatewayOptions gateways) => gateways.GatewayListRefreshPeriod = GatewayListRefreshPeriod;
}
