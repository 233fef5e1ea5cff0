using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.ClickHouse;

namespace Sources.Probing.Tests.ClickHouse;

/// <summary>A server that speaks ClickHouse's HTTP interface and answers without end.</summary>
public sealed class ClickHouseHostileTests
{
    [Fact]
    public async Task Three_million_database_names_are_read_no_further_than_the_answer_bound()
    {
        long sent = 0;
        await using var server = await LoopbackWeb.Start(app => app.MapGet("/", async (HttpContext http) =>
        {
            http.Response.ContentType = "application/json";
            if (http.Request.Query["query"].ToString().Contains("version()", StringComparison.Ordinal))
            {
                await http.Response.WriteAsync("""{"data":[{"version":"24.1"}]}""");
                return;
            }
            // 3,000,000 names of 60 characters: about 200 MB, streamed without a length.
            var name = new string('d', 60);
            await http.Response.WriteAsync("""{"data":[""");
            var chunk = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat($$"""{"name":"{{name}}"},""", 1000)));
            try
            {
                for (var i = 0; i < 3000 && !http.RequestAborted.IsCancellationRequested; i++)
                {
                    await http.Response.Body.WriteAsync(chunk, http.RequestAborted);
                    Interlocked.Add(ref sent, chunk.Length);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }));

        var result = await new ClickHouseProber(Probes.Loopback).Probe(
            ClickHouseSettings.For(server.Host.Port), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Error, result.Outcome);
        Assert.Contains("larger than the 16 MiB", result.Message);
        Assert.True(Interlocked.Read(ref sent) < 100L << 20, $"the probe kept reading: {Interlocked.Read(ref sent)} bytes sent");
    }
}
