using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.ClickHouse;

namespace Sources.Probing.Tests.ClickHouse;

/// <summary>
/// What the CLICKHOUSE prober puts on the wire and how it reads what current servers answer,
/// against a loopback HTTP server playing ClickHouse (the Debian server is 18.16, which sends no
/// X-ClickHouse-Exception-Code header).
/// </summary>
public sealed class ClickHouseHttpTests
{
    private static readonly ClickHouseProber Prober = new(Probes.Loopback);

    [Fact]
    public async Task Credentials_travel_in_headers_never_in_the_url()
    {
        var seen = new List<(string Url, string? User, string? Key)>();
        await using var web = await LoopbackWeb.Start(app => app.MapGet("/", (HttpRequest request) =>
        {
            lock (seen) seen.Add((request.QueryString.Value ?? "", request.Headers["X-ClickHouse-User"], request.Headers["X-ClickHouse-Key"]));
            return Results.Text("""{"data":[{"version":"24.8.1","name":"default"}]}""", "application/json");
        }));

        var result = await Prober.Probe(ClickHouseSettings.For(web.Host.Port, user: "reader", password: "pa55-word"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Equal("24.8.1", result.ServerVersion);
        Assert.NotEmpty(seen);
        Assert.All(seen, request =>
        {
            Assert.DoesNotContain("pa55-word", request.Url);
            Assert.DoesNotContain("reader", request.Url);
            Assert.Equal("reader", request.User);
            Assert.Equal("pa55-word", request.Key);
        });
    }

    [Theory]
    [InlineData("516", "Code: 516. DB::Exception: default: Authentication failed", ProbeOutcome.AuthFailed)]
    [InlineData("497", "Code: 497. DB::Exception: Not enough privileges", ProbeOutcome.PermissionDenied)]
    [InlineData("81", "Code: 81. DB::Exception: Database x does not exist", ProbeOutcome.NotFound)]
    [InlineData(null, "Code: 516. DB::Exception: Authentication failed", ProbeOutcome.AuthFailed)]
    public async Task Current_servers_error_codes_are_classified(string? header, string body, string outcome)
    {
        await using var web = await LoopbackWeb.Start(app => app.MapGet("/", (HttpResponse response) =>
        {
            if (header is not null) response.Headers["X-ClickHouse-Exception-Code"] = header;
            return Results.Text(body, statusCode: 500);
        }));

        var result = await Prober.Probe(ClickHouseSettings.For(web.Host.Port), Probes.Context, CancellationToken.None);

        Assert.Equal(outcome, result.Outcome);
    }

    [Fact]
    public async Task A_redirect_is_not_followed()
    {
        await using var web = await LoopbackWeb.Start(app => app.MapGet("/", () => Results.Redirect("http://169.254.169.254/")));

        var result = await Prober.Probe(ClickHouseSettings.For(web.Host.Port), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.InvalidConfig, result.Outcome);
    }
}
