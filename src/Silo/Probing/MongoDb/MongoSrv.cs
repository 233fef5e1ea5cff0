using DnsClient;
using DnsClient.Protocol;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.MongoDb;

/// <summary>
/// Looks up the SRV record of a mongodb+srv:// name with DnsClient, the resolver the MongoDB
/// driver itself uses, before the driver is started: a name with no record is a plain
/// "could not be found", and every host the record lists can be put to the network policy first.
/// </summary>
public static class MongoSrv
{
    public sealed record Lookup(IReadOnlyList<string> Hosts, ProbeResult? Failure);

    public static async Task<Lookup> Hosts(string name, string? serviceName, TimeSpan timeout, CancellationToken cancellation)
    {
        var client = new LookupClient(new LookupClientOptions
        {
            Timeout = timeout,
            Retries = 0,
            UseCache = false,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
        });
        try
        {
            var answer = await client.QueryAsync($"_{serviceName ?? "mongodb"}._tcp.{name}", QueryType.SRV, cancellationToken: cancellation);
            var hosts = answer.Answers.OfType<SrvRecord>().Select(r => r.Target.Value.TrimEnd('.')).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            return hosts.Count == 0
                ? new Lookup([], ProbeResult.Failed(ProbeOutcome.Unreachable, $"'{name}' has no MongoDB SRV record."))
                : new Lookup(hosts, null);
        }
        catch (DnsResponseException)
        {
            return new Lookup([], TransportFailures.NotFound(name));
        }
    }
}
