using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Sources.Probing.Tests.Postgres;

/// <summary>
/// Just enough of a PostgreSQL server on loopback to see what a client sends while signing in:
/// it answers an SSLRequest with 'S' and TLS (when given a certificate) or 'N', a GSSENCRequest
/// with 'N', asks for a password (cleartext or MD5) or for Kerberos (GSS, SSPI), records the
/// client's answer (a password message), and refuses; or (<see cref="Trust"/>) lets the client in
/// and then never answers a query.
/// </summary>
public sealed class FakePostgres : IAsyncDisposable
{
    private const int SslRequest = 80877103, GssEncRequest = 80877104, Protocol3 = 196608;
    /// <summary>The authentication requests the server can make.</summary>
    public const int Trust = 0, Cleartext = 3, Md5 = 5, Gss = 7, Sspi = 9;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2? _certificate;
    private readonly int _authRequest;
    private readonly Task _accepting;

    private FakePostgres(X509Certificate2? certificate, int authRequest)
    {
        _certificate = certificate;
        _authRequest = authRequest;
        _listener.Start();
        _accepting = Accept();
    }

    /// <summary>A server that refuses TLS and asks for <paramref name="authRequest"/> (a cleartext password unless told).</summary>
    public static FakePostgres Plain(int authRequest = Cleartext) => new(null, authRequest);

    /// <summary>A server that accepts TLS with <paramref name="certificate"/>, then asks for <paramref name="authRequest"/>.</summary>
    public static FakePostgres WithTls(X509Certificate2 certificate, int authRequest = Cleartext) => new(certificate, authRequest);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every password message received (the cleartext password, "md5…" for MD5, a token for GSS).</summary>
    public ConcurrentQueue<string> Passwords { get; } = new();

    /// <summary>The pre-startup requests received, by name: "SSLRequest", "GSSENCRequest".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The startup parameters of each connection that got that far.</summary>
    public ConcurrentQueue<Dictionary<string, string>> Startups { get; } = new();

    private async Task Accept()
    {
        var connections = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            try { connections.Add(Serve(await _listener.AcceptSocketAsync(_stop.Token))); }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { break; }
        }
        await Task.WhenAll(connections);
    }

    private async Task Serve(Socket socket)
    {
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            while (true)
            {
                var length = await ReadInt(stream);
                var code = await ReadInt(stream);
                if (code == SslRequest && _certificate is not null)
                {
                    Requests.Enqueue("SSLRequest");
                    await stream.WriteAsync("S"u8.ToArray(), _stop.Token);
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        // Offline, so this server does not chase its own certificate's AIA URL.
                        ServerCertificateContext = SslStreamCertificateContext.Create(_certificate, null, offline: true),
                    }, _stop.Token);
                    stream = tls;
                    continue;
                }
                if (code is SslRequest or GssEncRequest)
                {
                    Requests.Enqueue(code == SslRequest ? "SSLRequest" : "GSSENCRequest");
                    await stream.WriteAsync("N"u8.ToArray(), _stop.Token);
                    continue;
                }
                if (code != Protocol3)
                    return;
                var body = new byte[length - 8];
                await stream.ReadExactlyAsync(body, _stop.Token);
                Startups.Enqueue(Parameters(body));
                break;
            }

            await stream.WriteAsync(AuthenticationRequest(), _stop.Token);
            if (_authRequest == Trust)
            {
                // Signed in; then the server never answers a query, as a hung backend would.
                await stream.WriteAsync(ReadyAfterSignIn(), _stop.Token);
                var ignored = new byte[1024];
                while (await stream.ReadAsync(ignored, _stop.Token) > 0) { }
                return;
            }
            var type = new byte[1];
            await stream.ReadExactlyAsync(type, _stop.Token);
            var messageLength = await ReadInt(stream);
            var message = new byte[messageLength - 4];
            await stream.ReadExactlyAsync(message, _stop.Token);
            if (type[0] == (byte)'p')
                Passwords.Enqueue(Encoding.UTF8.GetString(message).TrimEnd('\0'));
            await stream.WriteAsync(Error("28P01", "password authentication failed"), _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or SocketException or OperationCanceledException
            or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            // The client hung up: what it sent so far is recorded.
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    private byte[] AuthenticationRequest()
    {
        var md5 = _authRequest == Md5;
        var message = new byte[md5 ? 13 : 9];
        message[0] = (byte)'R';
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), md5 ? 12 : 8);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(5), _authRequest);
        if (md5) "salt"u8.CopyTo(message.AsSpan(9));
        return message;
    }

    /// <summary>What follows AuthenticationOk: the parameters Npgsql reads, a backend key, ReadyForQuery.</summary>
    private static byte[] ReadyAfterSignIn()
    {
        var message = new List<byte>();
        foreach (var (name, value) in new[] { ("server_version", "15.0"), ("integer_datetimes", "on"), ("server_encoding", "UTF8"), ("client_encoding", "UTF8") })
            message.AddRange(Message('S', Encoding.UTF8.GetBytes($"{name}\0{value}\0")));
        message.AddRange(Message('K', [0, 0, 0, 1, 0, 0, 0, 2]));
        message.AddRange(Message('Z', "I"u8.ToArray()));
        return [.. message];
    }

    private static byte[] Message(char type, byte[] body)
    {
        var message = new byte[5 + body.Length];
        message[0] = (byte)type;
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), 4 + body.Length);
        body.CopyTo(message, 5);
        return message;
    }

    private static byte[] Error(string sqlState, string text)
    {
        var fields = Encoding.UTF8.GetBytes($"SFATAL\0VFATAL\0C{sqlState}\0M{text}\0\0");
        var message = new byte[5 + fields.Length];
        message[0] = (byte)'E';
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), 4 + fields.Length);
        fields.CopyTo(message, 5);
        return message;
    }

    private static Dictionary<string, string> Parameters(byte[] body)
    {
        var parts = Encoding.UTF8.GetString(body).Split('\0');
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < parts.Length && parts[i].Length > 0; i += 2)
            values[parts[i]] = parts[i + 1];
        return values;
    }

    private async Task<int> ReadInt(Stream stream)
    {
        var bytes = new byte[4];
        await stream.ReadExactlyAsync(bytes, _stop.Token);
        return BinaryPrimitives.ReadInt32BigEndian(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _certificate?.Dispose();
        _stop.Dispose();
    }
}
