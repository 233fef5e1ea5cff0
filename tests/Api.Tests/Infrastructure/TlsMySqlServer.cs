using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>
/// A loopback "MySQL" server for one connection: it greets with a protocol-v10 handshake that
/// offers TLS (mysql_native_password), reads the client's SSLRequest, then answers the TLS
/// handshake with the certificate it was given alone (no intermediates, built offline so this
/// server fetches nothing itself). <see cref="Served"/> ends when that handshake does, either way.
/// </summary>
public sealed class TlsMySqlServer : IDisposable
{
    // CLIENT_PROTOCOL_41 | CLIENT_SSL | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH
    private const uint Capabilities = 0x0200 | 0x0800 | 0x8000 | 0x0008_0000;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SslServerAuthenticationOptions _tls;

    public TlsMySqlServer(X509Certificate2 certificate)
    {
        _tls = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true),
        };
        _listener.Start();
        Served = ServeOne();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>
    /// The one connection, up to the end of the server's side of its TLS handshake, succeeded or
    /// not (in TLS 1.3 the server's side is done before the client checks the certificate).
    /// </summary>
    public Task Served { get; }

    private async Task ServeOne()
    {
        using var socket = await _listener.AcceptSocketAsync();
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Packet(0, Greeting()));
        var header = new byte[4];
        await stream.ReadExactlyAsync(header);
        // The SSLRequest: capabilities, max packet size, character set, 23 zero bytes.
        await stream.ReadExactlyAsync(new byte[header[0] | header[1] << 8 | header[2] << 16]);
        await using var tls = new SslStream(stream, leaveInnerStreamOpen: true);
        try
        {
            await tls.AuthenticateAsServerAsync(_tls);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException) { }
    }

    private static byte[] Greeting()
    {
        var greeting = new List<byte> { 10 };
        greeting.AddRange(Encoding.ASCII.GetBytes("8.0.36-test\0"));
        greeting.AddRange(BitConverter.GetBytes(1)); // connection id (little-endian)
        greeting.AddRange("12345678"u8.ToArray()); // scramble, first 8 bytes
        greeting.Add(0);
        var flags = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(flags, Capabilities);
        greeting.AddRange(flags[..2]);
        greeting.Add(0xff); // utf8mb4_0900_ai_ci
        greeting.AddRange(new byte[] { 0x02, 0x00 }); // SERVER_STATUS_AUTOCOMMIT
        greeting.AddRange(flags[2..]);
        greeting.Add(21); // scramble length
        greeting.AddRange(new byte[10]);
        greeting.AddRange("abcdefghijkl\0"u8.ToArray()); // scramble, last 12 bytes
        greeting.AddRange("mysql_native_password\0"u8.ToArray());
        return [.. greeting];
    }

    private static byte[] Packet(byte sequence, byte[] payload) =>
        [(byte)payload.Length, (byte)(payload.Length >> 8), (byte)(payload.Length >> 16), sequence, .. payload];

    public void Dispose() => _listener.Dispose();
}
