using System.Text.Json.Nodes;
using Sources.Silo.Probing.Postgres;

namespace Sources.Lifecycle.Tests;

public sealed class PostgresSettingsTests
{
    private static PostgresConnectionSettings.Built FromString(string connectionString) =>
        PostgresConnectionSettings.From(new JsonObject { ["connection_string"] = connectionString });

    [Theory]
    [InlineData("Host=h;Username=u;Database=d;Passfile=/etc/passwd", "passfile")]
    [InlineData("Host=h;Username=u;Database=d;Root Certificate=/etc/ssl/x.pem", "root certificate")]
    [InlineData("Host=h;Username=u;Database=d;SSL Key=/k", "ssl key")]
    [InlineData("Host=h;Username=u;Database=d;Options=-c log_statement=all", "options")]
    [InlineData("Host=h;Username=u;Database=d;Include Error Detail=true", "include error detail")]
    [InlineData("postgresql://u@h/d?sslrootcert=/etc/x", "sslrootcert")]
    public void Keywords_that_name_files_or_change_what_runs_are_refused_by_name(string connectionString, string keyword)
    {
        var built = FromString(connectionString);
        Assert.Null(built.Builder);
        Assert.Equal("/connection_string", built.Pointer);
        Assert.Contains($"keyword {keyword} is not allowed", built.Problem, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A password holding ';' unquoted: its tail reads as a keyword, and the refusal names only its place.</summary>
    [Theory]
    [InlineData("Host=h;Username=u;Password=ab;cdSecretTail=efgh", "keyword number 4")]
    [InlineData("postgresql://u@h/d?sslmode=require&cdSecretTail=efgh", "keyword number 5")]
    public void A_keyword_Sources_does_not_know_is_refused_by_its_place_not_quoted(string connectionString, string place)
    {
        var built = FromString(connectionString);

        Assert.Contains(place, built.Problem);
        Assert.DoesNotContain("cdSecretTail", built.Problem, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_uri_is_read_into_its_parts()
    {
        var built = FromString("postgresql://alice:p%40ss@db.example.com:6543/shop?sslmode=require&application_name=x");
        Assert.Null(built.Problem);
        Assert.Equal("db.example.com", built.Builder!.Host);
        Assert.Equal(6543, built.Builder.Port);
        Assert.Equal("shop", built.Builder.Database);
        Assert.Equal("alice", built.Builder.Username);
        Assert.Equal("p@ss", built.Builder.Password);
        Assert.Equal(Npgsql.SslMode.Require, built.Builder.SslMode);
    }

    [Fact]
    public void Several_hosts_and_no_host_are_refused()
    {
        Assert.NotNull(FromString("Host=a,b;Username=u;Database=d").Problem);
        Assert.NotNull(FromString("Username=u;Database=d").Problem);
    }

    [Fact]
    public void The_separate_fields_build_the_same_settings()
    {
        var built = PostgresConnectionSettings.From(new JsonObject
        {
            ["hostname"] = "db", ["port"] = 5433, ["username"] = "u", ["password"] = "p", ["database_name"] = "d",
        });
        Assert.Equal(("db", 5433, "u", "p", "d"), (built.Builder!.Host, built.Builder.Port, built.Builder.Username, built.Builder.Password, built.Builder.Database));
    }
}
