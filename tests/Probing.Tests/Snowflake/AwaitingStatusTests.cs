using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;

namespace Sources.Probing.Tests.Snowflake;

/// <summary>A Snowflake source on a pair Sources holds starts out waiting for the key's registration.</summary>
public sealed class AwaitingStatusTests
{
    private static readonly ProbeSettings Settings = new();

    private static SourceRecord Record(string type, string settingsJson, ProbeResult? probe = null) =>
        new() { Type = type, SettingsJson = settingsJson, LastProbe = probe };

    [Fact]
    public void Before_any_probe_a_held_pair_awaits_registration() =>
        Assert.Equal(SourceStatus.AwaitingKeyRegistration,
            SourceHealth.StatusAt(Record("SNOWFLAKE", """{"account":"xy12345","user":"LOADER","public_key":"MIIB"}"""), DateTimeOffset.UtcNow, Settings));

    [Fact]
    public void Before_any_probe_a_password_source_is_pending() =>
        Assert.Equal(SourceStatus.Pending,
            SourceHealth.StatusAt(Record("SNOWFLAKE", """{"account":"xy12345","user":"LOADER"}"""), DateTimeOffset.UtcNow, Settings));

    [Fact]
    public void Once_a_probe_succeeds_it_is_healthy() =>
        Assert.Equal(SourceStatus.Healthy,
            SourceHealth.StatusAt(Record("SNOWFLAKE", """{"public_key":"MIIB"}""", ProbeResult.Succeeded("9.3", "{}", [])), DateTimeOffset.UtcNow, Settings));
}
