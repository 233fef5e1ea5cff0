using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;

namespace Sources.Silo.Tests.Grains;

/// <summary>What the get and create paths hand across grain calls is passed as is within the process, not deep-copied.</summary>
public sealed class ImmutableRecordsTests
{
    private static readonly IServiceProvider Services = new ServiceCollection()
        .AddSerializer(serializer => serializer.AddAssembly(typeof(SourceRecord).Assembly))
        .BuildServiceProvider();

    [Fact]
    public void A_source_record_its_probe_results_and_the_configs_and_results_of_changes_are_not_copied()
    {
        var probe = ProbeResult.Succeeded("16.1", """{"schemas":["public"]}""", ["warning"]);
        var record = new SourceRecord { Id = 1, SettingsJson = """{"host":"db"}""", LastProbe = probe, History = [probe], Progress = new ProbeProgress(1, 2, 3) };

        Assert.Same(record, Services.GetRequiredService<DeepCopier<SourceRecord>>().Copy(record));
        Assert.Same(probe, Services.GetRequiredService<DeepCopier<ProbeResult>>().Copy(probe));
        var result = new ChangeResult(ChangeOutcome.Done, record);
        Assert.Same(result, Services.GetRequiredService<DeepCopier<ChangeResult>>().Copy(result));
        var config = new SourceConfig("POSTGRES", "db", "{}", [1, 2], ["password"]);
        Assert.Same(config, Services.GetRequiredService<DeepCopier<SourceConfig>>().Copy(config));
    }
}
