using System.Net.Security;
using System.Security.Authentication;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.MsSql;

/// <summary>How the relay's own TLS to the server ended.</summary>
public enum ServerTlsOutcome
{
    Established,

    /// <summary>The server's prelogin answer does not encrypt the whole session.</summary>
    NotOffered,

    /// <summary>The handshake failed, or <see cref="ServerCertificateCheck"/> refused the certificate.</summary>
    Failed,

    /// <summary>The server did not answer the prelogin with a prelogin answer.</summary>
    Unreadable,
}

/// <summary>
/// The relay's TLS to the server, checked by <see cref="ServerCertificateCheck"/> (offline chain,
/// ssl_ca or the machine's roots, the name for verify-full), so SqlClient never builds a chain
/// against the server. TDS 8 (Encrypt=Strict): TLS first, ALPN "tds/8.0", then the prelogin inside
/// it. TDS 7.x: the prelogin in the clear asking for encryption, the handshake inside PRELOGIN
/// packets (<see cref="PreLoginTlsStream"/>), then bare TLS records for the rest of the session.
/// SqlClient's own prelogin is passed on, and the server's answer handed back, with the ENCRYPTION
/// option saying "not supported": SqlClient's login reaches the relay inside the relay's own TDS 8
/// TLS on loopback (<see cref="RelayCertificate"/>), and the relay sends it on inside this TLS.
/// </summary>
public static class TdsServerTls
{
    private static readonly SslApplicationProtocol Tds8 = new("tds/8.0");

    public sealed record Opened(ServerTlsOutcome Outcome, Stream? Tls, byte[]? PreLoginAnswer);

    public static async Task<Opened> Open(Stream server, byte[] clientPreLogin, ServerCertificateCheck check, bool strict, CancellationToken cancellation)
    {
        try
        {
            return strict
                ? await Strict(server, clientPreLogin, check, cancellation).ConfigureAwait(false)
                : await InsidePreLogin(server, clientPreLogin, check, cancellation).ConfigureAwait(false);
        }
        catch (AuthenticationException)
        {
            return new Opened(ServerTlsOutcome.Failed, null, null);
        }
    }

    private static async Task<Opened> Strict(Stream server, byte[] clientPreLogin, ServerCertificateCheck check, CancellationToken cancellation)
    {
        // SqlClient's own strict prelogin says "not supported": the TLS around it is the encryption.
        var preLogin = TdsPreLogin.WithEncryption(clientPreLogin, TdsPreLogin.EncryptNotSupported);
        if (preLogin is null)
            return new Opened(ServerTlsOutcome.Unreadable, null, null);
        var tls = new SslStream(server, leaveInnerStreamOpen: true);
        await tls.AuthenticateAsClientAsync(Options(check, [Tds8]), cancellation).ConfigureAwait(false);
        await tls.WriteAsync(preLogin, cancellation).ConfigureAwait(false);
        var answer = await Answer(tls, cancellation).ConfigureAwait(false);
        return answer is null ? Unreadable(tls) : new Opened(ServerTlsOutcome.Established, tls, answer);
    }

    private static async Task<Opened> InsidePreLogin(Stream server, byte[] clientPreLogin, ServerCertificateCheck check, CancellationToken cancellation)
    {
        var preLogin = TdsPreLogin.WithEncryption(clientPreLogin, TdsPreLogin.EncryptOn);
        if (preLogin is null)
            return new Opened(ServerTlsOutcome.Unreadable, null, null);
        await server.WriteAsync(preLogin, cancellation).ConfigureAwait(false);
        var answer = await Answer(server, cancellation).ConfigureAwait(false);
        if (answer is null)
            return new Opened(ServerTlsOutcome.Unreadable, null, null);
        // ON or REQ encrypt the whole session; OFF would encrypt the login only, NOT_SUP nothing.
        if (TdsPreLogin.Encryption(answer.AsSpan(TdsMessages.HeaderLength)) is not (TdsPreLogin.EncryptOn or TdsPreLogin.EncryptRequired))
            return new Opened(ServerTlsOutcome.NotOffered, null, null);
        check.MarkStarted();
        var wrapped = new PreLoginTlsStream(server);
        var tls = new SslStream(wrapped, leaveInnerStreamOpen: true);
        var options = Options(check, null);
        // TLS 1.3 sends session tickets after the handshake, whose framing TDS 7.x does not say.
        options.EnabledSslProtocols = SslProtocols.Tls12;
        await tls.AuthenticateAsClientAsync(options, cancellation).ConfigureAwait(false);
        wrapped.Unwrap();
        return new Opened(ServerTlsOutcome.Established, tls, TdsPreLogin.WithEncryption(answer, TdsPreLogin.EncryptNotSupported));
    }

    private static SslClientAuthenticationOptions Options(ServerCertificateCheck check, List<SslApplicationProtocol>? protocols)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = check.Host.Trim('[', ']'),
            RemoteCertificateValidationCallback = check.Callback,
            ApplicationProtocols = protocols,
        };
        OfflineChain.Apply(options);
        return options;
    }

    /// <summary>The server's prelogin answer: one TDS message of type 0x04, as its packets.</summary>
    private static async Task<byte[]?> Answer(Stream server, CancellationToken cancellation)
    {
        var header = new byte[TdsMessages.HeaderLength];
        if (!await TdsMessages.Fill(server, header.AsMemory(0, 1), cancellation).ConfigureAwait(false) || header[0] != 0x04)
            return null;
        var message = await TdsMessages.Read(server, header, cancellation).ConfigureAwait(false);
        return message?.Packets is { } packets && TdsPreLogin.EncryptionAt(message.Payload) >= 0 ? packets : null;
    }

    private static Opened Unreadable(SslStream tls)
    {
        tls.Dispose();
        return new Opened(ServerTlsOutcome.Unreadable, null, null);
    }
}
