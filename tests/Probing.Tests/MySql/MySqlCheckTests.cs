using Sources.Probing.Tests.Support;
using Sources.Silo.Probing.MySql;

namespace Sources.Probing.Tests.MySql;

/// <summary>What the MySQL-protocol probers find wrong in settings before connecting anywhere.</summary>
public sealed class MySqlCheckTests
{
    private static readonly MySqlProber Prober = new(Probes.Loopback);

    [Fact]
    public void Complete_settings_have_no_problem() => Assert.Empty(Prober.Check(MySqlSettings.For(3306)));

    [Theory]
    [InlineData("hostname", "/hostname")]
    [InlineData("username", "/username")]
    [InlineData("password", "/password")]
    [InlineData("database_name", "/database_name")]
    public void A_missing_field_is_named(string field, string pointer)
    {
        var settings = MySqlSettings.For(3306);
        settings.Remove(field);

        Assert.Equal(pointer, Assert.Single(Prober.Check(settings)).Pointer);
    }

    [Theory]
    [InlineData("db.example.com/shop")]
    [InlineData("mysql://db.example.com")]
    [InlineData("db example com")]
    public void A_hostname_that_is_no_host_is_a_problem_at_hostname(string hostname)
    {
        var settings = MySqlSettings.For(3306, host: hostname);

        Assert.Equal("/hostname", Assert.Single(Prober.Check(settings)).Pointer);
    }

    [Fact]
    public void A_port_out_of_range_is_a_problem_at_port()
    {
        var settings = MySqlSettings.For(3306);
        settings["port"] = 70000;

        Assert.Equal("/port", Assert.Single(new SingleStoreProber(Probes.Loopback).Check(settings)).Pointer);
    }

    [Fact]
    public void Both_types_are_served() =>
        Assert.Equal(["MYSQL", "SINGLESTORE"], new[] { Prober.Type, new SingleStoreProber(Probes.Loopback).Type });
}
