using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using static Sources.Probing.Tests.MsSql.TdsWire;

namespace Sources.Probing.Tests.MsSql;

/// <summary>
/// The least of a SQL Server that encrypts the whole session, on a loopback port: TDS 7.x (its
/// prelogin answer says ENCRYPT_ON, the TLS handshake travels inside PRELOGIN packets, then bare
/// TLS records) or TDS 8 (TLS first, ALPN "tds/8.0", then the prelogin inside it). It presents
/// the certificate given, alone. Inside TLS it answers LOGIN7 either with a routing ENVCHANGE to
/// <see cref="FakeSqlServer.RouteTo"/> (a listener that counts connections) or with login error 18456.
/// </summary>
internal sealed class FakeTlsTdsServer : FakeSqlServer
{
    private readonly X509Certificate2 _certificate;
    private readonly bool _strict;
    private readonly bool _routes;
    private int _handshakes;

    public FakeTlsTdsServer(X509Certificate2 certificate, bool strict, bool routes)
    {
        _certificate = certificate;
        _strict = strict;
        _routes = routes;
        Start();
    }

    /// <summary>TLS handshakes completed.</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    protected override async Task Session(NetworkStream network, CancellationToken stop)
    {
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(_certificate, additionalCertificates: null, offline: true),
        };
        SslStream tls;
        if (_strict)
        {
            options.ApplicationProtocols = [new SslApplicationProtocol("tds/8.0")];
            tls = new SslStream(network);
            await tls.AuthenticateAsServerAsync(options, stop);
            Interlocked.Increment(ref _handshakes);
            await ReadMessage(tls, stop); // PRELOGIN
            await tls.WriteAsync(Packet(0x04, PreLoginAnswer(encryption: 0x02)), stop);
        }
        else
        {
            var preLogin = await ReadMessage(network, stop);
            if (Encryption(preLogin) != 0x01)
                return; // this server encrypts everything, and the client did not ask to
            await network.WriteAsync(Packet(0x04, PreLoginAnswer(encryption: 0x01)), stop);
            var framing = new TdsTlsFraming(network);
            tls = new SslStream(framing);
            options.EnabledSslProtocols = SslProtocols.Tls12;
            await tls.AuthenticateAsServerAsync(options, stop);
            framing.Bare();
            Interlocked.Increment(ref _handshakes);
        }
        await using (tls)
        {
            await ReadMessage(tls, stop); // LOGIN7
            LoginRead();
            byte[] answer = _routes ? [.. Routing(RouteTo.Port), .. LoginAck(), .. Done(0)] : [.. LoginFailed(), .. Done(0x02)];
            await tls.WriteAsync(Packet(0x04, answer), stop);
            while (await tls.ReadAsync(new byte[512], stop) > 0)
            {
            }
        }
    }

    /// <summary>The ENCRYPTION byte of a prelogin (option 0x01 in the option table).</summary>
    private static int Encryption(byte[] preLogin)
    {
        for (var at = 0; at + 5 <= preLogin.Length && preLogin[at] != 0xFF; at += 5)
            if (preLogin[at] == 0x01)
                return preLogin[BinaryPrimitives.ReadUInt16BigEndian(preLogin.AsSpan(at + 1))];
        return -1;
    }
}
