using System.Net.Sockets;
using static Sources.Probing.Tests.MsSql.TdsWire;

namespace Sources.Probing.Tests.MsSql;

/// <summary>
/// The least of a SQL Server on a loopback port: it answers PRELOGIN saying it does not support
/// encryption, and answers LOGIN7 with a routing ENVCHANGE to <see cref="FakeSqlServer.RouteTo"/>, a LOGINACK
/// and a DONE, as a server that routes logins (an Azure SQL gateway, an availability group's
/// read-only routing) does. <see cref="FakeSqlServer.RouteTo"/> is a second listener that counts connections.
/// </summary>
internal sealed class FakeTdsServer : FakeSqlServer
{
    public FakeTdsServer() => Start();

    protected override async Task Session(NetworkStream stream, CancellationToken stop)
    {
        await ReadMessage(stream, stop); // PRELOGIN
        await stream.WriteAsync(Packet(0x04, PreLoginAnswer(encryption: 0x02)), stop);
        await ReadMessage(stream, stop); // LOGIN7
        LoginRead();
        await stream.WriteAsync(Packet(0x04, [.. Routing(RouteTo.Port), .. LoginAck(), .. Done(0)]), stop);
        // Held open until the client leaves.
        while (await stream.ReadAsync(new byte[512], stop) > 0)
        {
        }
    }
}
