using System.Text.Json.Nodes;
using Microsoft.Data.SqlClient;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.MsSql;

namespace Sources.Probing.Tests.MsSql;

/// <summary>How MSSQL settings map onto SqlClient, and what the allowlist refuses at /connection_string.</summary>
public sealed class MsSqlSettingsTests
{
    private static readonly MsSqlProber Prober = new(Probes.Loopback);

    private static JsonObject Odbc(string connectionString) => new() { ["type"] = "MSSQL", ["connection_string"] = connectionString };

    [Fact]
    public void Separate_fields_map_with_encryption_required_and_the_default_port()
    {
        var built = MsSqlConnectionSettings.From(new JsonObject
        {
            ["type"] = "MSSQL", ["hostname"] = "sql.example.com", ["username"] = "sa", ["password"] = "s3cret", ["database_name"] = "master",
        });

        AssertExampleMapped(built);
    }

    [Theory]
    [InlineData("disable", "False", false)]
    [InlineData("require", "True", true)]
    [InlineData("verify-full", "True", false)]
    // SqlClient writes Optional as False and Mandatory as True.
    public void Ssl_mode_maps_onto_encrypt_and_trust_server_certificate(string mode, string encrypt, bool trust)
    {
        var built = MsSqlConnectionSettings.From(new JsonObject
        {
            ["type"] = "MSSQL", ["hostname"] = "sql.example.com", ["username"] = "sa", ["password"] = "s3cret", ["database_name"] = "master", ["ssl_mode"] = mode,
        });

        Assert.Equal((encrypt, trust), (built.Builder!.Encrypt.ToString(), built.Builder.TrustServerCertificate));
    }

    [Theory]
    [InlineData("verify-full", "Encrypt=no")]
    [InlineData("verify-full", "Encrypt=yes;TrustServerCertificate=yes")]
    [InlineData("require", "Encrypt=strict")]
    [InlineData("disable", "Encrypt=yes")]
    public void A_connection_string_that_disagrees_with_ssl_mode_is_a_problem_at_ssl_mode(string mode, string tls)
    {
        var settings = Odbc($"Server=sql.example.com;Uid=sa;Pwd=s3cret;{tls}");
        settings["ssl_mode"] = mode;

        Assert.Equal("/ssl_mode", Assert.Single(Prober.Check(settings)).Pointer);
    }

    [Fact]
    public void A_connection_string_that_agrees_keeps_its_strict_encryption()
    {
        var settings = Odbc("Server=sql.example.com;Uid=sa;Pwd=s3cret;Encrypt=strict");
        settings["ssl_mode"] = "verify-full";

        Assert.Equal(SqlConnectionEncryptOption.Strict, MsSqlConnectionSettings.From(settings).Builder!.Encrypt);
    }

    [Theory]
    [InlineData("Server=sql.example.com,1433;Uid=sa;Pwd=s3cret")]
    // The prober asks SQL Browser for the instance's port and holds the TLS itself, as with a port.
    [InlineData("Server=sql.example.com\\reporting;Uid=sa;Pwd=s3cret")]
    public void A_CA_of_the_source_s_own_and_verify_ca_are_accepted_with_a_port_or_an_instance_name(string connectionString)
    {
        var settings = Odbc(connectionString);
        settings["ssl_mode"] = "verify-ca";
        settings["ssl_ca"] = Authority();

        Assert.Empty(Prober.Check(settings));
        Assert.Equal(TlsMode.VerifyCa, MsSqlConnectionSettings.From(settings).Target!.Tls);
    }

    [Theory]
    [InlineData("require", "-----BEGIN CERTIFICATE-----")]
    [InlineData("verify-full", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")]
    public void An_ssl_ca_that_is_not_certificates_or_is_never_used_is_refused(string mode, string authority)
    {
        var settings = Odbc("Server=sql.example.com,1433;Uid=sa;Pwd=s3cret");
        settings["ssl_mode"] = mode;
        settings["ssl_ca"] = mode == "require" ? Authority() : authority;

        Assert.Equal("/ssl_ca", Assert.Single(Prober.Check(settings)).Pointer);
    }

    private static string Authority()
    {
        using var tls = Sources.TestServers.ServerTls.Create();
        return tls.AuthorityPem;
    }

    [Fact]
    public void The_spec_example_maps_every_keyword()
    {
        var built = MsSqlConnectionSettings.From(Odbc("Driver={ODBC Driver 18 for SQL Server};Server=sql.example.com,1433;Database=master;Uid=sa;Pwd=s3cret;Encrypt=yes"));

        AssertExampleMapped(built);
    }

    [Fact]
    public void Braced_values_keep_their_semicolons_and_tls_options_map()
    {
        var built = MsSqlConnectionSettings.From(Odbc("Server=tcp:db.internal.example,14330;Uid=app;Pwd={p;w=d};Encrypt=strict;TrustServerCertificate=no;HostNameInCertificate=db.example.com"));

        Assert.Null(built.Problem);
        Assert.Equal(("db.internal.example", 14330), (built.Target!.Host, built.Target.Port));
        Assert.Equal("p;w=d", built.Builder!.Password);
        Assert.Equal(SqlConnectionEncryptOption.Strict, built.Builder.Encrypt);
        Assert.False(built.Builder.TrustServerCertificate);
        Assert.Equal("db.example.com", built.Builder.HostNameInCertificate);
    }

    [Fact]
    public void A_named_instance_without_a_port_is_kept_for_the_instance_lookup()
    {
        var built = MsSqlConnectionSettings.From(Odbc(@"Server=sql.example.com\REPORTING;Uid=sa;Pwd=x"));

        Assert.Equal(("sql.example.com", null, "REPORTING"), (built.Target!.Host, built.Target.Port, built.Target.Instance));
    }

    [Fact]
    public void The_password_field_fills_a_connection_string_without_one()
    {
        var settings = Odbc("Server=sql.example.com;Uid=sa");
        settings["password"] = "from-the-field";

        Assert.Equal("from-the-field", MsSqlConnectionSettings.From(settings).Builder!.Password);
    }

    /// <summary>sa / s3cret on sql.example.com:1433, database master, encrypted: the spec's MSSQL examples.</summary>
    private static void AssertExampleMapped(MsSqlConnectionSettings.Built built)
    {
        Assert.Null(built.Problem);
        Assert.Equal(("sql.example.com", 1433), (built.Target!.Host, built.Target.Port));
        Assert.Equal(("sa", "s3cret", "master"), (built.Builder!.UserID, built.Builder.Password, built.Builder.InitialCatalog));
        Assert.Equal(SqlConnectionEncryptOption.Mandatory, built.Builder.Encrypt);
    }

    [Theory]
    [InlineData("Server=sql.example.com;Trusted_Connection=yes", "Trusted_Connection")]
    [InlineData("Server=sql.example.com;Integrated Security=SSPI", "Integrated Security")]
    [InlineData("Server=sql.example.com;Authentication=ActiveDirectoryDefault", "Authentication")]
    [InlineData("Server=sql.example.com;AttachDbFilename=/var/lib/app.mdf", "AttachDbFilename")]
    [InlineData("Server=sql.example.com;ServerCertificate=/etc/ssl/server.pem", "ServerCertificate")]
    [InlineData("Server=sql.example.com;Failover_Partner=10.0.0.5", "Failover_Partner")]
    [InlineData("Server=sql.example.com;ServerSPN=MSSQLSvc/host", "ServerSPN")]
    public void Keywords_outside_the_allowlist_are_refused_by_name(string connectionString, string keyword)
    {
        var problem = Assert.Single(Prober.Check(Odbc(connectionString)));

        Assert.Equal("/connection_string", problem.Pointer);
        Assert.Contains($"keyword {keyword} is not allowed", problem.Message);
    }

    [Fact]
    public void A_keyword_Sources_does_not_know_is_refused_by_its_place_not_quoted()
    {
        var problem = Assert.Single(Prober.Check(Odbc("Server=sql.example.com;Uid=sa;Pwd=ab;cdSecretTail=efgh")));

        Assert.Contains("keyword number 4 is not allowed", problem.Message);
        Assert.DoesNotContain("cdSecretTail", problem.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(@"Server=np:\\sql.example.com\pipe\sql\query;Uid=sa")]
    [InlineData("Server=lpc:sql.example.com;Uid=sa")]
    [InlineData("Server=(local);Uid=sa")]
    [InlineData(@"Server=sql.example.com\;Uid=sa")]
    [InlineData(@"Server=sql.example.com\an-instance-name-too-long;Uid=sa")]
    [InlineData("Server=sql.example.com,99999;Uid=sa")]
    [InlineData("Uid=sa;Pwd=x")]
    [InlineData("Server=sql.example.com;Encrypt=sometimes")]
    [InlineData("this is not a connection string")]
    public void Unusable_servers_and_values_are_problems_at_connection_string(string connectionString) =>
        Assert.Equal("/connection_string", Assert.Single(Prober.Check(Odbc(connectionString))).Pointer);

    [Fact]
    public void Separate_fields_without_a_hostname_are_a_problem_at_hostname() =>
        Assert.Equal("/hostname", Assert.Single(Prober.Check(new JsonObject { ["type"] = "MSSQL", ["username"] = "sa", ["database_name"] = "master" })).Pointer);
}
