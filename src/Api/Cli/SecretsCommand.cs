using Orleans.Serialization;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Hosting;
using Sources.Silo.Secrets;

namespace Sources.Api.Cli;

/// <summary>
/// <c>secrets reseal</c>: seals every stored secret again under the current master key, the last
/// step of a key rotation, after which the previous key can be retired (README, docs/secrets.md).
/// It writes the rows itself, each only at the version it read, and lets go of any activation that
/// holds a rewritten row; run it again if it stops or reports rows it could not finish.
/// </summary>
public static class SecretsCommand
{
    private const string Usage = "usage: secrets reseal";

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "secrets";

    public static async Task<int> Run(string[] args)
    {
        if (args.Length < 2 || args[1] != "reseal")
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        using var host = CommandHost.Build(args.Skip(2).ToArray(), out var joinsCluster);
        try
        {
            await host.StartAsync();
        }
        catch (Exception e) when (joinsCluster && e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"secrets: no node of the cluster accepted this client within {ClusterConnectLimit.Limit.TotalSeconds:0} s ({e.Message}). "
                + "Check that a node is up and that Sources:Cluster:Certificate is one the cluster's Sources:Cluster:CertificateAuthority signed.");
            return 1;
        }
        try
        {
            var services = host.Services;
            var keys = services.GetRequiredService<MasterKeys>();
            await using var reseal = new SecretReseal(services.GetRequiredService<SourcesSettings>().ToStorageOptions(),
                services.GetRequiredService<SecretSealer>(), services.GetRequiredService<Serializer<SourceRecord>>(),
                services.GetRequiredService<Serializer>());
            var report = await reseal.Run(SecretReseal.LetGo(services.GetRequiredService<IGrainFactory>()));

            Console.WriteLine($"resealed {report.Sources} sources and {report.KeyPairs} key pairs under master key {Convert.ToHexString(keys.CurrentId).ToLowerInvariant()}; {report.AlreadyCurrent} were under it already");
            foreach (var row in report.Unopenable)
                Console.Error.WriteLine($"{row}: sealed under a master key this node was not given (add it to Sources:PreviousMasterKeys)");
            foreach (var row in report.Busy)
                Console.Error.WriteLine($"{row}: changed on every try; run the command again");
            return report.Finished ? 0 : 1;
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
