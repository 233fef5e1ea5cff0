using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Servers;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.MongoDb;

/// <summary>
/// Classifies MongoDB failures by exception type, server error code and the driver's view of
/// the cluster, never by message text. What the policy gate refused comes first: the driver only
/// sees a proxy that would not connect, the gate knows why.
/// </summary>
public static class MongoFailures
{
    public static ProbeResult Classify(Exception exception, string host, PolicyGate gate) => exception switch
    {
        MongoAuthenticationException => AuthFailed(),
        MongoCommandException { Code: 18 } => AuthFailed(),
        // 13 Unauthorized: signed in, but may not list what the probe asks for.
        MongoCommandException { Code: 13 } => ProbeResult.Failed(ProbeOutcome.PermissionDenied, "The user may not list the databases or collections."),
        MongoIncompatibleDriverException => ProbeResult.Failed(ProbeOutcome.Unsupported, "The server's version is too old for Sources' MongoDB driver."),
        MongoConnectionException or TimeoutException =>
            gate.LastFailure ?? TransportFailures.Find(exception.InnerException ?? exception, host) ?? TransportFailures.TimedOut(host),
        MongoCommandException command => ProbeResult.Failed(ProbeOutcome.Error, $"The server answered with error {command.Code} ({command.CodeName})."),
        _ => ProbeResult.Failed(ProbeOutcome.Error, "The MongoDB server answered in a way Sources did not expect."),
    };

    /// <summary>
    /// The outcome once the driver's view shows that nothing can be reached: the SRV lookup failed,
    /// or every server it knows has failed its heartbeat. Null while some server may still answer,
    /// so a refused port answers at once instead of at the end of server selection.
    /// </summary>
    public static ProbeResult? NoServerReachable(ClusterDescription cluster, string host, PolicyGate gate)
    {
        if (cluster.DnsMonitorException is not null)
            return TransportFailures.NotFound(host);
        var servers = cluster.Servers;
        if (servers.Count == 0 || !servers.All(s => s.State == ServerState.Disconnected && s.HeartbeatException is not null))
            return null;
        return gate.LastFailure
            ?? TransportFailures.Find(servers[0].HeartbeatException, host)
            ?? ProbeResult.Failed(ProbeOutcome.Unreachable, $"No MongoDB server at '{host}' could be reached.");
    }

    private static ProbeResult AuthFailed() => ProbeResult.Failed(ProbeOutcome.AuthFailed, "The server refused the username or password.");
}
