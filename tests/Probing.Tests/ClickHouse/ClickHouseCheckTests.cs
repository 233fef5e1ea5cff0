using Sources.Probing.Tests.Support;
using Sources.Silo.Probing.ClickHouse;

namespace Sources.Probing.Tests.ClickHouse;

/// <summary>CLICKHOUSE settings: the scheme its port implies, and what Check refuses before connecting.</summary>
public sealed class ClickHouseCheckTests
{
    private static readonly ClickHouseProber Prober = new(Probes.Loopback);

    [Theory]
    [InlineData(8443, "https://ch.example.com:8443/")]
    [InlineData(443, "https://ch.example.com/")]
    [InlineData(8123, "http://ch.example.com:8123/")]
    [InlineData(9000, "http://ch.example.com:9000/")]
    public void The_port_decides_the_scheme(int port, string url) =>
        Assert.Equal(url, ClickHouseEndpoint.For(ClickHouseSettings.For(port, host: "ch.example.com")).ToString());

    [Theory]
    [InlineData("disable", 8443, "http://ch.example.com:8443/")]
    [InlineData("require", 8123, "https://ch.example.com:8123/")]
    [InlineData("verify-full", 8123, "https://ch.example.com:8123/")]
    public void Ssl_mode_decides_the_scheme_over_the_port(string mode, int port, string url)
    {
        var settings = ClickHouseSettings.For(port, host: "ch.example.com");
        settings["ssl_mode"] = mode;

        Assert.Equal(url, ClickHouseEndpoint.For(settings).ToString());
    }

    [Fact]
    public void An_ssl_ca_that_is_not_certificates_is_a_problem_at_ssl_ca()
    {
        var settings = ClickHouseSettings.For(8443);
        settings["ssl_ca"] = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";

        Assert.Equal("/ssl_ca", Assert.Single(Prober.Check(settings)).Pointer);
    }

    [Fact]
    public void The_default_port_is_https_8443()
    {
        var settings = ClickHouseSettings.For(1, host: "ch.example.com");
        settings.Remove("port");

        Assert.Equal("https://ch.example.com:8443/", ClickHouseEndpoint.For(settings).ToString());
    }

    [Fact]
    public void An_empty_password_is_allowed() => Assert.Empty(Prober.Check(ClickHouseSettings.For(8123, password: "")));

    [Fact]
    public void A_missing_password_is_a_problem_at_password()
    {
        var settings = ClickHouseSettings.For(8123);
        settings.Remove("password");

        Assert.Equal("/password", Assert.Single(Prober.Check(settings)).Pointer);
    }

    [Theory]
    [InlineData("https://ch.example.com")]
    [InlineData("ch.example.com:8443")]
    public void A_host_with_scheme_or_port_is_a_problem_at_host(string host) =>
        Assert.Equal("/host", Assert.Single(Prober.Check(ClickHouseSettings.For(8443, host: host))).Pointer);

    [Fact]
    public void A_missing_host_is_a_problem_at_host()
    {
        var settings = ClickHouseSettings.For(8443);
        settings.Remove("host");

        Assert.Equal("/host", Assert.Single(Prober.Check(settings)).Pointer);
    }
}
