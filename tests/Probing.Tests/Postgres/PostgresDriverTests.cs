using System.Text.Json.Nodes;
using Npgsql;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing.Postgres;

namespace Sources.Probing.Tests.Postgres;

/// <summary>
/// The probe's own data source carries every keyword a connection string may set (the driver
/// copies them one by one), but for those the probe decides itself.
/// </summary>
public sealed class PostgresDriverTests
{
    /// <summary>Set by the driver whatever the source says: the checked address, TLS, the budget's timeouts, the password provider.</summary>
    private static readonly string[] DecidedByTheProbe = ["Host", "Password", "SSL Mode", "Timeout", "Command Timeout"];

    [Fact, Trait("Speed", "fast")]
    public async Task Every_keyword_a_connection_string_may_set_reaches_the_probes_data_source()
    {
        var given = new Dictionary<string, string>
        {
            ["Port"] = "6543",
            ["Database"] = "ledger",
            ["Username"] = "auditor",
            ["Application Name"] = "reports-check",
            ["Keepalive"] = "17",
            ["Target Session Attributes"] = "any",
        };
        Assert.Equal(PostgresConnectionSettings.Keywords.Except(DecidedByTheProbe).Order(), given.Keys.Order());
        var settings = new JsonObject
        {
            ["type"] = "POSTGRES",
            ["connection_string"] = "host=db.example.com;password=pw;sslmode=disable;" + string.Join(';', given.Select(k => $"{k.Key}={k.Value}")),
        };
        var source = PostgresConnectionSettings.From(settings).Builder!;

        await using var dataSource = PostgresDriver.Build(source, "192.0.2.10", "db.example.com", TimeSpan.FromSeconds(7), check: null);

        var built = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        foreach (var (keyword, value) in given)
            Assert.Equal(value, Convert.ToString(built[keyword], System.Globalization.CultureInfo.InvariantCulture), ignoreCase: true);
        Assert.Equal("192.0.2.10", built.Host);
        Assert.Equal(7, built.Timeout);
    }

    [Theory, Trait("Speed", "fast")]
    [InlineData("target session attributes=read-write")]
    [InlineData("target_session_attrs=primary")]
    public void Target_session_attributes_that_choose_among_hosts_are_refused_naming_the_connection_string(string attributes)
    {
        var settings = new JsonObject { ["type"] = "POSTGRES", ["connection_string"] = $"host=db.example.com;username=auditor;{attributes}" };

        var problem = Assert.Single(new PostgresProber(Probes.Loopback).Check(settings));

        Assert.Equal("/connection_string", problem.Pointer);
        Assert.Contains("target session attributes may only be any", problem.Message);
    }
}
