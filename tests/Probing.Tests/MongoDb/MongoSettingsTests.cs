using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing.MongoDb;

namespace Sources.Probing.Tests.MongoDb;

/// <summary>MONGODB connection strings: parsed by the driver, options checked against the allowlist first.</summary>
public sealed class MongoSettingsTests
{
    private static readonly MongoProber Prober = new(Probes.Loopback);

    private static JsonObject Settings(string connectionString) => new() { ["type"] = "MONGODB", ["connection_string"] = connectionString };

    [Theory]
    [InlineData("mongodb+srv://reader:s3cret@cluster0.example.net/app")]
    [InlineData("mongodb://reader:s3cret@db1.example.com:27017,db2.example.com:27018/app?replicaSet=rs0&authSource=admin&tls=true")]
    [InlineData("mongodb://db.example.com/?appName=reports&readPreference=secondaryPreferred&authMechanism=SCRAM-SHA-256")]
    public void Ordinary_connection_strings_are_accepted(string connectionString) => Assert.Empty(Prober.Check(Settings(connectionString)));

    [Fact]
    public void The_driver_reads_hosts_and_database()
    {
        var url = MongoConnectionSettings.From(Settings("mongodb://reader:s3cret@db1.example.com:27017,db2.example.com:27018/app?replicaSet=rs0")).Url!;

        Assert.Equal(["db1.example.com:27017", "db2.example.com:27018"], url.Servers.Select(s => $"{s.Host}:{s.Port}"));
        Assert.Equal("app", url.DatabaseName);
    }

    [Theory]
    [InlineData("tlsCAFile=/etc/ssl/ca.pem", "tlsCAFile")]
    [InlineData("tlsCertificateKeyFile=/etc/ssl/client.pem", "tlsCertificateKeyFile")]
    [InlineData("tlsCertificateKeyFilePassword=x", "tlsCertificateKeyFilePassword")]
    [InlineData("proxyHost=10.0.0.1&proxyPort=1080", "proxyHost")]
    [InlineData("authMechanismProperties=AWS_SESSION_TOKEN:x", "authMechanismProperties")]
    public void Options_outside_the_allowlist_are_refused_by_name(string query, string option)
    {
        var problem = Assert.Single(Prober.Check(Settings("mongodb://db.example.com/app?" + query)));

        Assert.Equal("/connection_string", problem.Pointer);
        Assert.Contains($"option {option} is not allowed", problem.Message);
    }

    [Fact]
    public void An_option_Sources_does_not_know_is_refused_by_its_place_not_quoted()
    {
        var problem = Assert.Single(Prober.Check(Settings("mongodb://db.example.com/app?appName=a&someFutureOption=1")));

        Assert.Contains("option number 2 is not allowed", problem.Message);
        Assert.DoesNotContain("someFutureOption", problem.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A '?' inside the password: the driver reads the options after the host, so that is where
    /// the allowlist looks (a reading of the text after the first '?' saw only appName).
    /// </summary>
    [Fact]
    public void The_allowlist_reads_the_options_as_the_driver_does()
    {
        var problem = Assert.Single(Prober.Check(Settings("mongodb://u:p?appName=a@db.example.com/?proxyHost=203.0.113.9")));

        Assert.Contains("option proxyHost is not allowed", problem.Message);
    }

    [Theory]
    [InlineData("MONGODB-AWS")]
    [InlineData("MONGODB-X509")]
    [InlineData("GSSAPI")]
    public void Sign_in_with_an_identity_of_this_machine_is_refused(string mechanism)
    {
        var problem = Assert.Single(Prober.Check(Settings($"mongodb://user@db.example.com/?authMechanism={mechanism}")));

        Assert.Equal("/connection_string", problem.Pointer);
        Assert.Contains(mechanism, problem.Message);
    }

    [Theory]
    [InlineData("postgres://db.example.com/app")]
    [InlineData("mongodb://")]
    [InlineData("mongodb://reader:s3cret@db.example.com:notaport/app")]
    public void Unparseable_strings_are_a_problem_that_never_quotes_the_password(string connectionString)
    {
        var problem = Assert.Single(Prober.Check(Settings(connectionString)));

        Assert.Equal("/connection_string", problem.Pointer);
        Assert.DoesNotContain("s3cret", problem.Message);
    }
}
