using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Postgres;

namespace Sources.Probing.Tests.Postgres;

/// <summary>
/// A POSTGRES source gets nothing from the service's own environment or home folder: not its
/// PGPASSWORD, passfile or ~/.pgpass (each matching every host with '*'), not its PGUSER, nor
/// the PGTZ, PGAPPNAME or PGCLIENTENCODING it would otherwise send. The fake server accepts TLS and asks for a
/// cleartext password, so anything Npgsql found would reach it.
/// </summary>
[Collection(ProcessWide.Name)]
public sealed class PostgresFallbackTests
{
    private const string Canary = "service-own-secret-7f3a";

    private static readonly PostgresProber Prober = new(Probes.Loopback);

    private static JsonObject WithoutPassword(int port) => new()
    {
        ["type"] = "POSTGRES",
        ["connection_string"] = $"host=localhost;port={port};username=analyst;database=app;sslmode=require",
    };

    [Theory]
    [InlineData("PGPASSWORD")]
    [InlineData("PGPASSFILE")]
    [InlineData("HOME")]
    public async Task A_source_without_a_password_sends_none_of_the_service_s_own(string fallback)
    {
        var home = Directory.CreateTempSubdirectory("sources-home-");
        var passfile = Path.Combine(home.FullName, ".pgpass");
        await File.WriteAllTextAsync(passfile, $"*:*:*:*:{Canary}\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var environment = ProcessWide.Set(
            ("PGPASSWORD", fallback == "PGPASSWORD" ? Canary : null),
            ("PGPASSFILE", fallback == "PGPASSFILE" ? passfile : null),
            ("HOME", fallback == "HOME" ? home.FullName : Environment.GetEnvironmentVariable("HOME")));
        await using var server = FakePostgres.WithTls(ProbeCertificates.SelfSigned());

        var result = await Prober.Probe(WithoutPassword(server.Port), Probes.Context, CancellationToken.None);
        home.Delete(recursive: true);

        Assert.Single(server.Startups);
        Assert.Empty(server.Passwords);
        Assert.Equal(ProbeOutcome.AuthFailed, result.Outcome);
    }

    [Fact]
    public async Task The_service_s_PGTZ_PGAPPNAME_and_PGCLIENTENCODING_are_not_sent()
    {
        using var environment = ProcessWide.Set(("PGTZ", "Antarctica/Troll"), ("PGAPPNAME", "service"), ("PGCLIENTENCODING", "LATIN1"));
        await using var server = FakePostgres.WithTls(ProbeCertificates.SelfSigned());

        await Prober.Probe(WithoutPassword(server.Port), Probes.Context, CancellationToken.None);

        var startup = Assert.Single(server.Startups);
        Assert.Equal("UTF8", startup["client_encoding"]);
        Assert.Equal("UTC", startup["TimeZone"]);
        Assert.Equal("sources-probe", startup["application_name"]);
        Assert.Equal("analyst", startup["user"]);
    }

    [Fact]
    public async Task A_connection_string_without_a_user_is_refused_rather_than_signed_in_as_PGUSER()
    {
        using var environment = ProcessWide.Set(("PGUSER", "service"));
        await using var server = FakePostgres.WithTls(ProbeCertificates.SelfSigned());
        var settings = new JsonObject { ["type"] = "POSTGRES", ["connection_string"] = $"host=localhost;port={server.Port};password=x;sslmode=require" };

        var problem = Assert.Single(Prober.Check(settings));
        var result = await Prober.Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal("/connection_string", problem.Pointer);
        Assert.Equal(ProbeOutcome.InvalidConfig, result.Outcome);
        Assert.Empty(server.Startups);
    }
}
