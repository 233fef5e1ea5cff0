using System.Net;
using System.Net.Sockets;
using System.Text;
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
        // A raw socket, so what it counts is what it could hand to the kernel: once the probe stops
        // reading and closes, the next writes fail, after no more than the sockets' buffers.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        long sent = 0;
        var serving = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                while (await ReadRequestLine(stream) is { } requestLine)
                {
                    if (requestLine.Contains("version", StringComparison.Ordinal))
                    {
                        var body = """{"data":[{"version":"24.1"}]}""";
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}"));
                        continue;
                    }
                    // 3,000,000 names of 60 characters, about 200 MB, with no length: the answer ends when the connection does.
                    var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat($$"""{"name":"{{new string('d', 60)}}"},""", 1000)));
                    try
                    {
                        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"data\":["));
                        for (var i = 0; i < 3000; i++)
                        {
                            await stream.WriteAsync(chunk);
                            Interlocked.Add(ref sent, chunk.Length);
                        }
                    }
                    catch (IOException)
                    {
                    }
                    return;
                }
            }
        });

        var result = await new ClickHouseProber(Probes.Loopback).Probe(
            ClickHouseSettings.For(((IPEndPoint)listener.LocalEndpoint).Port), Probes.Context, CancellationToken.None);
        await serving.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ProbeOutcome.Error, result.Outcome);
        Assert.Contains("larger than the 16 MiB", result.Message);
        Assert.True(Interlocked.Read(ref sent) < 100L << 20, $"the probe kept reading: {Interlocked.Read(ref sent)} bytes sent");
    }

    /// <summary>The request line of the next request on the connection, its headers read past; null when the client closed.</summary>
    private static async Task<string?> ReadRequestLine(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
                return null;
            head.Append((char)one[0]);
        }
        return head.ToString()[..head.ToString().IndexOf('\r')];
    }
}
