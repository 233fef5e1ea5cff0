using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Sources.Silo.Probing.Http;

namespace Sources.Silo.Probing.ClickHouse;

/// <summary>
/// Classifies a ClickHouse error answer by its error code: the X-ClickHouse-Exception-Code
/// header where the server sends it (newer servers), else the "Code: N" the body starts with
/// (every version). Without a code, the HTTP status decides.
/// </summary>
public static partial class ClickHouseFailures
{
    public static ProbeResult Classify(HttpStatusCode status, string? codeHeader, string body, string host, string? database)
    {
        var code = int.TryParse(codeHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var fromHeader) ? fromHeader
            : BodyCode().Match(body) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : (int?)null;
        return code is { } known ? FromCode(known, database) : HttpFailures.FromStatus(status, host);
    }

    public static ProbeResult FromCode(int code, string? database) => code switch
    {
        // 516 AUTHENTICATION_FAILED (current servers); 192 UNKNOWN_USER, 193 WRONG_PASSWORD,
        // 194 REQUIRED_PASSWORD (servers before 20.x).
        516 or 192 or 193 or 194 => ProbeResult.Failed(ProbeOutcome.AuthFailed, "The server refused the username or password."),
        81 => ProbeResult.Failed(ProbeOutcome.NotFound, $"The database '{database}' does not exist."),
        // 497 ACCESS_DENIED, 291 DATABASE_ACCESS_DENIED (older servers), 164 READONLY.
        497 or 291 or 164 => ProbeResult.Failed(ProbeOutcome.PermissionDenied, database is null
            ? "The user may not read the server's catalog."
            : $"The user may not use the database '{database}' or read its catalog."),
        195 => ProbeResult.Failed(ProbeOutcome.PermissionDenied, "The server does not accept this user from Sources' address."),
        159 or 209 => ProbeResult.Failed(ProbeOutcome.Timeout, "The server did not answer in time."),
        202 or 203 => ProbeResult.Failed(ProbeOutcome.Unreachable, "The server is too busy to answer."),
        _ => ProbeResult.Failed(ProbeOutcome.Error, $"The server answered with ClickHouse error {code}."),
    };

    [GeneratedRegex(@"^\s*Code:\s*(\d{1,5})\b")]
    private static partial Regex BodyCode();
}
