using System.Buffers.Binary;

namespace Sources.Silo.Probing.MsSql;

/// <summary>What a server's answer to LOGIN7 says, as far as <see cref="TdsRoutingGuard"/> cares.</summary>
public enum LoginAnswerKind
{
    /// <summary>Tokens a login answer carries, and no routing among them.</summary>
    Plain,

    /// <summary>An ENVCHANGE of type 20 (routing) or 21 (enhanced routing): the login goes elsewhere.</summary>
    Routes,

    /// <summary>A token a login answer does not carry, or one cut short: not read further, so not passed on.</summary>
    Unreadable,
}

/// <summary>
/// Walks the tokens of a login answer (MS-TDS 2.2.7): each is skipped by its own length, so a
/// routing token cannot hide inside another's data, and a token of unknown length ends the walk
/// as unreadable rather than guessed past.
/// </summary>
public static class TdsLoginAnswer
{
    private const byte EnvChange = 0xE3;
    private const byte EnvRouting = 20;
    private const byte EnvEnhancedRouting = 21;

    public static LoginAnswerKind Read(ReadOnlySpan<byte> tokens)
    {
        var at = 0;
        while (at < tokens.Length)
        {
            var token = tokens[at++];
            int length;
            switch (token)
            {
                // ENVCHANGE, LOGINACK, INFO, ERROR, SSPI: a two-byte length.
                case EnvChange or 0xAD or 0xAB or 0xAA or 0xED:
                    if (at + 2 > tokens.Length) return LoginAnswerKind.Unreadable;
                    length = BinaryPrimitives.ReadUInt16LittleEndian(tokens[at..]);
                    at += 2;
                    if (at + length > tokens.Length) return LoginAnswerKind.Unreadable;
                    if (token == EnvChange && length > 0 && tokens[at] is EnvRouting or EnvEnhancedRouting)
                        return LoginAnswerKind.Routes;
                    break;
                // SESSIONSTATE, FEDAUTHINFO: a four-byte length.
                case 0xE4 or 0xEE:
                    if (at + 4 > tokens.Length) return LoginAnswerKind.Unreadable;
                    var longLength = BinaryPrimitives.ReadUInt32LittleEndian(tokens[at..]);
                    at += 4;
                    if (longLength > (uint)(tokens.Length - at)) return LoginAnswerKind.Unreadable;
                    length = (int)longLength;
                    break;
                // FEATUREEXTACK: features, each an id and a four-byte length, up to the terminator 0xFF.
                case 0xAE:
                    while (true)
                    {
                        if (at >= tokens.Length) return LoginAnswerKind.Unreadable;
                        if (tokens[at++] == 0xFF) break;
                        if (at + 4 > tokens.Length) return LoginAnswerKind.Unreadable;
                        var featureLength = BinaryPrimitives.ReadUInt32LittleEndian(tokens[at..]);
                        at += 4;
                        if (featureLength > (uint)(tokens.Length - at)) return LoginAnswerKind.Unreadable;
                        at += (int)featureLength;
                    }
                    length = 0;
                    break;
                // DONE, DONEPROC, DONEINPROC: status, command, a row count of eight bytes.
                case 0xFD or 0xFE or 0xFF:
                    length = 12;
                    if (at + length > tokens.Length) return LoginAnswerKind.Unreadable;
                    break;
                default:
                    return LoginAnswerKind.Unreadable;
            }
            at += length;
        }
        return LoginAnswerKind.Plain;
    }
}
