using Sources.Silo.Probing.BigQuery;
using Sources.Silo.Probing.DuckDb;
using Sources.Silo.Probing.Files;
using Sources.Silo.Probing.MotherDuck;
using Sources.Silo.Probing.Network;
using Sources.Silo.Probing.Snowflake;
using Sources.Silo.Probing.Targets;

namespace Sources.Lifecycle.Tests.Settings;

/// <summary>Each rules class: its defaults pass, and each bound it sets refuses a value past it, naming the key.</summary>
public sealed class SettingsRulesTests
{
    private static IEnumerable<string> Failures(Microsoft.Extensions.Options.ValidateOptionsResult result) =>
        result.Failed ? result.Failures! : [];

    [Fact]
    public void The_defaults_pass_every_rules_class()
    {
        Assert.Empty(Failures(new FileSettingsRules().Validate(null, new FileSettings())));
        Assert.Empty(Failures(new AuthFailureSettingsRules().Validate(null, new AuthFailureSettings())));
        Assert.Empty(Failures(new DuckDbLimitsRules().Validate(null, new DuckDbLimits())));
        Assert.Empty(Failures(new MotherDuckSettingsRules().Validate(null, new MotherDuckSettings())));
        Assert.Empty(Failures(new SnowflakeSettingsRules().Validate(null, new SnowflakeSettings())));
        Assert.Empty(Failures(new SnowflakeSettingsRules().Validate(null, new SnowflakeSettings { BaseUrl = "http://127.0.0.1:{account}" })));
        Assert.Empty(Failures(new BigQuerySettingsRules().Validate(null, new BigQuerySettings())));
        Assert.Empty(Failures(new NetworkSettingsRules().Validate(null, new NetworkSettings { Allow = ["loopback", "private", "10.1.0.0/16", "::1/128"] })));
    }

    public static TheoryData<FileSettings, string> BadFiles => new()
    {
        { new FileSettings { MaxFileBytes = -1 }, "Sources:Files:MaxFileBytes is '-1'; it must be 1 or more." },
        { new FileSettings { MaxFileBytes = 10, MaxSourceBytes = 5 }, "Sources:Files:MaxSourceBytes is '5'; it must be at least Sources:Files:MaxFileBytes (10)." },
        { new FileSettings { MaxAccountBytes = -1 }, "Sources:Files:MaxAccountBytes is '-1'; it must be 0 or more." },
        { new FileSettings { MinBytesPerSecond = 0 }, "Sources:Files:MinBytesPerSecond is '0'; it must be 1 or more." },
        { new FileSettings { RateWindow = TimeSpan.Zero }, "Sources:Files:RateWindow is '00:00:00'; it must be more than zero." },
        { new FileSettings { IdleTimeout = TimeSpan.FromDays(2) }, "Sources:Files:IdleTimeout is '2.00:00:00'; it must be 1.00:00:00 or less." },
        { new FileSettings { MaxProbeDuration = TimeSpan.FromSeconds(-1) }, "Sources:Files:MaxProbeDuration is '-00:00:01'; it must be more than zero." },
        { new FileSettings { MaxXlsxCells = 0 }, "Sources:Files:MaxXlsxCells is '0'; it must be 1 or more." },
        { new FileSettings { MaxXlsxEntryBytes = 0 }, "Sources:Files:MaxXlsxEntryBytes is '0'; it must be 1 or more." },
        { new FileSettings { MaxXlsxColumns = 0 }, "Sources:Files:MaxXlsxColumns is '0'; it must be 1 or more." },
        { new FileSettings { MaxRedirects = -1 }, "Sources:Files:MaxRedirects is '-1'; it must be 0 or more." },
        { new FileSettings { MaxRedirects = 21 }, "Sources:Files:MaxRedirects is '21'; it must be 20 or less." },
        { new FileSettings { SweepInterval = TimeSpan.Zero }, "Sources:Files:SweepInterval is '00:00:00'; it must be more than zero." },
        { new FileSettings { Directory = " " }, "Sources:Files:Directory is ' '; it must name a folder." },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Files_refuse_each_bound(FileSettings settings, string failure) =>
        Assert.Equal([failure], Failures(new FileSettingsRules().Validate(null, settings)));

    [Theory]
    [InlineData(-1, "00:15:00", "Sources:Probe:AuthFailures:Max is '-1'; it must be 0 or more.")]
    [InlineData(1001, "00:15:00", "Sources:Probe:AuthFailures:Max is '1001'; it must be 1000 or less.")]
    [InlineData(5, "00:00:00", "Sources:Probe:AuthFailures:Window is '00:00:00'; it must be more than zero.")]
    [InlineData(5, "2.00:00:00", "Sources:Probe:AuthFailures:Window is '2.00:00:00'; it must be 1.00:00:00 or less.")]
    public void Auth_failures_refuse_each_bound(int max, string window, string failure) =>
        Assert.Equal([failure], Failures(new AuthFailureSettingsRules().Validate(null, new AuthFailureSettings { Max = max, Window = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture) })));

    [Fact]
    public void Auth_failures_allow_the_cap_off() =>
        Assert.Empty(Failures(new AuthFailureSettingsRules().Validate(null, new AuthFailureSettings { Max = 0 })));

    [Theory]
    [InlineData(0, 256L << 20, 0L, "Sources:DuckDb:Threads is '0'; it must be 1 or more.")]
    [InlineData(257, 256L << 20, 0L, "Sources:DuckDb:Threads is '257'; it must be 256 or less.")]
    [InlineData(1, 1L << 20, 0L, "Sources:DuckDb:MemoryLimitBytes is '1048576'; it must be 16777216 or more.")]
    [InlineData(1, 256L << 20, -1L, "Sources:DuckDb:MaxTempDirectoryBytes is '-1'; it must be 0 or more.")]
    public void DuckDb_refuses_each_bound(int threads, long memory, long temp, string failure) =>
        Assert.Equal([failure], Failures(new DuckDbLimitsRules().Validate(null, new DuckDbLimits { Threads = threads, MemoryLimitBytes = memory, MaxTempDirectoryBytes = temp })));

    [Fact]
    public void MotherDuck_refuses_a_retry_of_zero() =>
        Assert.Equal(["Sources:MotherDuck:ExtensionRetry is '00:00:00'; it must be more than zero."],
            Failures(new MotherDuckSettingsRules().Validate(null, new MotherDuckSettings { ExtensionRetry = TimeSpan.Zero })));

    [Theory]
    [InlineData("snowflakecomputing.com")]
    [InlineData("ftp://{account}.example")]
    public void Snowflake_refuses_a_base_url_that_is_not_http(string url) =>
        Assert.Equal([$"Sources:Snowflake:BaseUrl is '{url.Replace("{account}", "1", StringComparison.Ordinal)}'; it must be an absolute http or https address."],
            Failures(new SnowflakeSettingsRules().Validate(null, new SnowflakeSettings { BaseUrl = url })));

    [Fact]
    public void BigQuery_refuses_a_token_uri_that_is_not_an_address() =>
        Assert.Equal(["Sources:BigQuery:AllowedTokenUris:1 is 'oauth2'; it must be an absolute http or https address."],
            Failures(new BigQuerySettingsRules().Validate(null, new BigQuerySettings { AllowedTokenUris = [BigQuerySettings.GoogleTokenUri, "oauth2"] })));

    [Theory]
    [InlineData("lan")]
    [InlineData("10.0.0.0/40")]
    [InlineData("10.0.0.0/x")]
    public void Network_refuses_an_entry_that_is_not_a_range(string entry) =>
        Assert.Equal([$"Sources:Network:Allow:0 is '{entry}'; use 'loopback', 'private' or a CIDR range such as 10.0.0.0/8."],
            Failures(new NetworkSettingsRules().Validate(null, new NetworkSettings { Allow = [entry] })));
}
