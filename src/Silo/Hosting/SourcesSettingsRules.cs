using Microsoft.Extensions.Options;
using Sources.Silo.Storage;

namespace Sources.Silo.Hosting;

/// <summary>What the "Sources" section must hold before a node is composed from it.</summary>
public sealed class SourcesSettingsRules : IValidateOptions<SourcesSettings>
{
    public ValidateOptionsResult Validate(string? name, SourcesSettings settings)
    {
        var rules = new SettingRules();
        var storage = settings.Storage.Trim().ToLowerInvariant();
        if (storage is not ("embedded" or "sqlite" or "postgres" or "postgresql"))
            return rules.Require(false, $"Sources:Storage is '{settings.Storage}'; use 'embedded' or 'postgres'.").Result;
        var postgres = settings.Mode == StorageMode.Postgres;
        rules
            .Require(!postgres || !string.IsNullOrWhiteSpace(settings.MasterKey),
                "Sources:MasterKey is required in postgres mode: every node must seal and unseal with the same key.")
            .Require(settings.Role != SourcesRole.Client || postgres,
                "Sources:Role=client joins an external cluster, which needs Sources:Storage=postgres.")
            .Require(!postgres || !string.IsNullOrWhiteSpace(settings.Cluster.Certificate) || settings.Cluster.AllowInsecureTransport,
                $"{ClusterTransportSettings.Section}:Certificate is required in postgres mode: nodes and clients authenticate each other with it "
                + $"(mutual TLS). For development only, {ClusterTransportSettings.Section}:AllowInsecureTransport=true runs the cluster without it.");
        foreach (var (key, address) in new[] { ("AdvertisedAddress", settings.AdvertisedAddress), ("ListenAddress", settings.ListenAddress) })
            rules.Require(!postgres || address is null || System.Net.IPAddress.TryParse(address, out _), $"Sources:{key} is '{address}'; it must be an IP address.");
        foreach (var (key, port) in new[] { ("SiloPort", settings.SiloPort), ("GatewayPort", settings.GatewayPort) })
            rules.Require(port is >= 0 and <= 65535, $"Sources:{key}", port, "it must be a port, 0 to 65535");
        return rules.Result;
    }
}
