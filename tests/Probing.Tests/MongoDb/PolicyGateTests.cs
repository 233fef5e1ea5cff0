using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.MongoDb;
using Sources.Silo.Probing.Network;

namespace Sources.Probing.Tests.MongoDb;

/// <summary>
/// The SOCKS5 gate the MongoDB driver connects through, driven by a SOCKS5 client written here:
/// every host the driver asks for (including replica-set members it discovers, which no check
/// before the probe could know) goes through the network policy, and only checked addresses
/// are connected to.
/// </summary>
public sealed class PolicyGateTests
{
    [Fact]
    public async Task A_denied_name_is_refused_with_code_2_and_the_generic_reason()
    {
        await using var gate = PolicyGate.Start(Probes.Loopback, TimeSpan.FromSeconds(5), CancellationToken.None);

        var reply = await Socks5.Connect(gate.Port, "169.254.169.254", 27017);

        Assert.Equal(2, reply.Code);
        Assert.Equal(ProbeOutcome.InvalidConfig, gate.LastFailure!.Outcome);
        Assert.Equal(NetworkPolicy.DeniedMessage, gate.LastFailure.Message);
    }

    [Fact]
    public async Task Loopback_is_refused_under_a_policy_that_denies_it()
    {
        using var echo = new TcpListener(IPAddress.Loopback, 0);
        echo.Start();
        await using var gate = PolicyGate.Start(Probes.Strict, TimeSpan.FromSeconds(5), CancellationToken.None);

        var reply = await Socks5.Connect(gate.Port, "localhost", ((IPEndPoint)echo.LocalEndpoint).Port);

        Assert.Equal(2, reply.Code);
    }

    [Fact]
    public async Task A_closed_port_is_refused_with_code_5_and_classified_unreachable()
    {
        await using var gate = PolicyGate.Start(Probes.Loopback, TimeSpan.FromSeconds(5), CancellationToken.None);

        var reply = await Socks5.Connect(gate.Port, "localhost", Sources.TestServers.FreePort.Next());

        Assert.Equal(5, reply.Code);
        Assert.Equal(ProbeOutcome.Unreachable, gate.LastFailure!.Outcome);
    }

    [Fact]
    public async Task An_allowed_name_is_relayed_both_ways()
    {
        using var echo = new TcpListener(IPAddress.Loopback, 0);
        echo.Start();
        var serving = Task.Run(async () =>
        {
            using var socket = await echo.AcceptSocketAsync();
            var buffer = new byte[5];
            var read = await socket.ReceiveAsync(buffer);
            await socket.SendAsync(buffer.AsMemory(0, read));
        });
        await using var gate = PolicyGate.Start(Probes.Loopback, TimeSpan.FromSeconds(5), CancellationToken.None);

        var reply = await Socks5.Connect(gate.Port, "localhost", ((IPEndPoint)echo.LocalEndpoint).Port);
        await reply.Stream!.WriteAsync("hello"u8.ToArray());
        var back = new byte[5];
        await reply.Stream.ReadExactlyAsync(back);
        await serving;

        Assert.Equal(0, reply.Code);
        Assert.Equal("hello", Encoding.ASCII.GetString(back));
        await reply.Stream.DisposeAsync();
    }

    /// <summary>The client half of RFC 1928, as much as the tests need: no authentication, CONNECT by name.</summary>
    private static class Socks5
    {
        public sealed record Reply(byte Code, NetworkStream? Stream);

        public static async Task<Reply> Connect(int proxyPort, string host, int port)
        {
            var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, proxyPort);
            var stream = client.GetStream();
            await stream.WriteAsync(new byte[] { 5, 1, 0 });
            var method = new byte[2];
            await stream.ReadExactlyAsync(method);
            var name = Encoding.ASCII.GetBytes(host);
            var request = new byte[7 + name.Length];
            (request[0], request[1], request[2], request[3], request[4]) = ((byte)5, (byte)1, (byte)0, (byte)3, (byte)name.Length);
            name.CopyTo(request, 5);
            BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(5 + name.Length), (ushort)port);
            await stream.WriteAsync(request);
            var reply = new byte[10];
            await stream.ReadExactlyAsync(reply);
            if (reply[1] == 0)
                return new Reply(0, stream);
            client.Dispose();
            return new Reply(reply[1], null);
        }
    }
}
