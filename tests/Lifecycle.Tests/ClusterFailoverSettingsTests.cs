using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Sources.Silo.Hosting;

namespace Sources.Lifecycle.Tests;

/// <summary>The failover settings (docs/cluster.md) reach Orleans' options, on silos and on clients, and bad values are refused naming their key.</summary>
public sealed class ClusterFailoverSettingsTests
{
    private static Dictionary<string, string?> Postgres(string role) => new()
    {
        ["Sources:Storage"] = "postgres",
        ["Sources:Role"] = role,
        ["Sources:ConnectionString"] = "Host=127.0.0.1;Username=u;Database=d",
        ["Sources:MasterKey"] = Convert.ToBase64String(new byte[32]),
        ["Sources:Cluster:AllowInsecureTransport"] = "true",
    };

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSources();
        return builder.Build();
    }

    [Fact]
    public void A_silo_detects_failures_with_the_documented_defaults()
    {
        using var host = Build(Postgres("silo"));
        var membership = host.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(1), membership.ProbeTimeout);
        Assert.Equal(3, membership.NumMissedProbesLimit);
        Assert.Equal(2, membership.NumVotesForDeathDeclaration);
        Assert.Equal(TimeSpan.FromSeconds(5), membership.IAmAliveTablePublishTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), membership.TableRefreshTimeout);
        Assert.Equal(TimeSpan.FromDays(1), membership.DefunctSiloExpiration);
        Assert.Equal(TimeSpan.Zero, host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.RangeLeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(15), host.Services.GetRequiredService<IOptions<SiloMessagingOptions>>().Value.ResponseTimeout);
    }

    [Fact]
    public void Configured_values_replace_the_defaults_on_a_silo()
    {
        var settings = Postgres("silo");
        settings["Sources:Cluster:ProbeTimeout"] = "00:00:02";
        settings["Sources:Cluster:MissedProbesLimit"] = "4";
        settings["Sources:Cluster:ResponseTimeout"] = "00:00:20";
        using var host = Build(settings);
        var membership = host.Services.GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(2), membership.ProbeTimeout);
        Assert.Equal(4, membership.NumMissedProbesLimit);
        Assert.Equal(TimeSpan.FromSeconds(20), host.Services.GetRequiredService<IOptions<SiloMessagingOptions>>().Value.ResponseTimeout);
    }

    [Fact]
    public void A_client_reads_the_gateways_and_waits_for_answers_as_configured()
    {
        var settings = Postgres("client");
        settings["Sources:Cluster:GatewayListRefreshPeriod"] = "00:00:07";
        using var host = Build(settings);
        Assert.Equal(TimeSpan.FromSeconds(7), host.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.GatewayListRefreshPeriod);
        Assert.Equal(TimeSpan.FromSeconds(15), host.Services.GetRequiredService<IOptions<ClientMessagingOptions>>().Value.ResponseTimeout);
    }

    [Theory]
    [InlineData("ProbeTimeout", "00:00:00")]
    [InlineData("ResponseTimeout", "-00:00:01")]
    [InlineData("LostNodeRetry", "-00:00:01")]
    [InlineData("MissedProbesLimit", "0")]
    public void A_value_out_of_range_is_refused_naming_its_key(string key, string value)
    {
        var settings = Postgres("silo");
        settings[$"Sources:Cluster:{key}"] = value;
        var refused = Assert.Throws<SettingsRefusedException>(() => Build(settings));
        Assert.Contains($"Sources:Cluster:{key}", refused.Message, StringComparison.Ordinal);
    }
}
