using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Sources.Silo.Grains.Keys;
using Sources.Silo.Hosting;
using Sources.Silo.Probing;

namespace Sources.Lifecycle.Tests.Settings;

/// <summary>
/// Settings bound through the options pattern are checked when the host starts: a bad value stops
/// it before anything runs, and the message names the key and the value given.
/// </summary>
public sealed class SettingsValidationTests
{
    private static IHost Host(Dictionary<string, string?> values)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(values);
        builder.Services.AddValidatedSettings<ProbeSettings, ProbeSettingsRules>(builder.Configuration, ProbeSettingsRules.Section);
        builder.Services.AddValidatedSettings<KeyCacheSettings, KeyCacheSettingsRules>(builder.Configuration, KeyCacheSettingsRules.Section);
        return builder.Build();
    }

    [Theory]
    [InlineData("Sources:Probe:Deadline", "00:00:00", "Sources:Probe:Deadline is '00:00:00'; it must be more than zero.")]
    [InlineData("Sources:Probe:CheckBudget", "00:00:00", "Sources:Probe:CheckBudget is '00:00:00'; it must be more than zero.")]
    [InlineData("Sources:Probe:CheckBudget", "00:06:00", "Sources:Probe:CheckBudget is '00:06:00'; it must be 00:05:00 or less.")]
    [InlineData("Sources:Probe:HistorySize", "0", "Sources:Probe:HistorySize is '0'; it must be 1 or more.")]
    [InlineData("Sources:Probe:Interval", "-00:01:00", "Sources:Probe:Interval is '-00:01:00'; it must be more than zero.")]
    [InlineData("Sources:Keys:UnknownIds", "-5", "Sources:Keys:UnknownIds is '-5'; it must be 0 or more.")]
    public async Task A_bad_setting_stops_the_host_at_start_naming_its_key(string key, string value, string message)
    {
        using var host = Host(new() { [key] = value });
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_stops_the_host_naming_its_key()
    {
        using var host = Host(new() { ["Sources:Probe:Deadline"] = "soon" });
        var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("Sources:Probe:Deadline", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Good_settings_start_and_are_what_the_services_get()
    {
        using var host = Host(new() { ["Sources:Probe:Deadline"] = "00:00:07" });
        await host.StartAsync();
        Assert.Equal(TimeSpan.FromSeconds(7), host.Services.GetRequiredService<ProbeSettings>().Deadline);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Sources:Storage", "mysql", "Sources:Storage is 'mysql'; use 'embedded' or 'postgres'.")]
    [InlineData("Sources:SiloPort", "70000", "Sources:SiloPort is '70000'; it must be a port, 0 to 65535.")]
    public void A_bad_setting_of_the_node_itself_is_refused_before_it_is_composed(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var refused = Assert.Throws<SettingsRefusedException>(() => SourcesSettings.From(configuration));
        Assert.Equal(message, refused.Message);
    }
}
