using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.Postgres;
using Sources.TestServers;

namespace Sources.Probing.Tests.Tls;

/// <summary>
/// What Check says of ssl_mode and ssl_ca before anything is contacted: a POSTGRES connection
/// string's sslmode never overrides the field, and ssl_ca holds certificates only, at most
/// <see cref="TlsSettings.MaxAuthorities"/>, and only with a mode that verifies.
/// </summary>
public sealed class TlsFieldTests
{
    private static readonly PostgresProber Postgres = new(Probes.Loopback);

    private static JsonObject Fields(string mode) => new()
    {
        ["type"] = "POSTGRES", ["hostname"] = "db.example.com", ["username"] = "u", ["password"] = "p", ["database_name"] = "d", ["ssl_mode"] = mode,
    };

    private static JsonObject ConnectionString(string text, string? mode)
    {
        var settings = new JsonObject { ["type"] = "POSTGRES", ["connection_string"] = text };
        if (mode is not null) settings["ssl_mode"] = mode;
        return settings;
    }

    [Theory]
    [InlineData("Host=db.example.com;Username=u;SslMode=Require", "verify-full")]
    [InlineData("postgresql://u@db.example.com/d?sslmode=disable", "verify-full")]
    [InlineData("Host=db.example.com;Username=u;SslMode=VerifyFull", "require")]
    [InlineData("Host=db.example.com;Username=u;SslMode=Prefer", "verify-full")]
    [InlineData("Host=db.example.com;Username=u;SslMode=Prefer", "disable")]
    public void A_connection_string_sslmode_that_disagrees_with_ssl_mode_is_a_problem_at_ssl_mode(string text, string mode)
    {
        var problem = Assert.Single(Postgres.Check(ConnectionString(text, mode)));

        Assert.Equal("/ssl_mode", problem.Pointer);
        Assert.Contains("ssl_mode", problem.Message);
    }

    [Theory]
    [InlineData("Host=db.example.com;Username=u;SslMode=Require", "require", Npgsql.SslMode.Require)]
    [InlineData("Host=db.example.com;Username=u;SslMode=VerifyCA", "verify-ca", Npgsql.SslMode.VerifyCA)]
    [InlineData("Host=db.example.com;Username=u", "disable", Npgsql.SslMode.Disable)]
    [InlineData("Host=db.example.com;Username=u", null, Npgsql.SslMode.VerifyFull)]
    [InlineData("Host=db.example.com;Username=u;SslMode=Prefer", null, Npgsql.SslMode.Prefer)]
    public void The_field_decides_and_a_source_stored_without_it_keeps_its_connection_string_s_sslmode(string text, string? mode, Npgsql.SslMode expected)
    {
        var settings = ConnectionString(text, mode);

        Assert.Empty(Postgres.Check(settings));
        Assert.Equal(expected, PostgresConnectionSettings.From(settings).Builder!.SslMode);
    }

    [Fact]
    public void Fields_without_ssl_mode_verify_in_full()
    {
        var settings = Fields("verify-full");
        settings.Remove("ssl_mode");

        Assert.Equal(Npgsql.SslMode.VerifyFull, PostgresConnectionSettings.From(settings).Builder!.SslMode);
    }

    [Fact]
    public void Several_certificates_are_one_ssl_ca()
    {
        using var one = ServerTls.Create("one");
        using var two = ServerTls.Create("two");
        var settings = Fields("verify-full");
        settings["ssl_ca"] = one.AuthorityPem + "\n" + two.AuthorityPem + "\n";

        Assert.Empty(Postgres.Check(settings));
        Assert.Equal(2, TlsSettings.From(settings).Authorities()!.Count);
    }

    [Fact]
    public void A_private_key_in_ssl_ca_is_refused_without_quoting_it()
    {
        using var tls = ServerTls.Create();
        var key = tls.Certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();
        var settings = Fields("verify-full");
        settings["ssl_ca"] = tls.AuthorityPem + "\n" + key;

        var problem = Assert.Single(Postgres.Check(settings));

        Assert.Equal("/ssl_ca", problem.Pointer);
        Assert.DoesNotContain(key.Split('\n')[1], problem.Message);
    }

    [Fact]
    public void More_certificates_than_the_limit_are_refused()
    {
        using var tls = ServerTls.Create();
        var settings = Fields("verify-full");
        settings["ssl_ca"] = string.Concat(Enumerable.Repeat(tls.AuthorityPem + "\n", TlsSettings.MaxAuthorities + 1));

        var problem = Assert.Single(Postgres.Check(settings));

        Assert.Equal("/ssl_ca", problem.Pointer);
        Assert.Contains($"at most {TlsSettings.MaxAuthorities}", problem.Message);
    }

    [Fact]
    public void The_limit_itself_is_accepted()
    {
        using var tls = ServerTls.Create();
        var settings = Fields("verify-full");
        settings["ssl_ca"] = string.Concat(Enumerable.Repeat(tls.AuthorityPem + "\n", TlsSettings.MaxAuthorities));

        Assert.True(settings["ssl_ca"]!.GetValue<string>().Length <= TlsSettings.MaxAuthoritiesLength);
        Assert.Empty(Postgres.Check(settings));
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("require")]
    public void Ssl_ca_with_a_mode_that_checks_no_chain_is_refused(string mode)
    {
        using var tls = ServerTls.Create();
        var settings = Fields(mode);
        settings["ssl_ca"] = tls.AuthorityPem;

        Assert.Equal("/ssl_ca", Assert.Single(Postgres.Check(settings)).Pointer);
    }
}
