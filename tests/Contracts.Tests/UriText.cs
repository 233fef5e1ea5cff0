using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Sources.Contracts.Tests;

/// <summary>
/// Which <c>format: uri</c> strings may enter the differential corpus. NJsonSchema judges a URI with
/// .NET's <see cref="Uri.TryCreate(string, UriKind, out Uri)"/>, which differs from RFC 3986 (the
/// standard's rule) both ways: it takes "/relative" (on Linux), "C:\x", spaces, quotes and "%zz",
/// and refuses "https://" or a port past 65535, which RFC 3986 allows. So the corpus holds only URIs
/// on which the two agree; the differences are tested on their own in OracleGapTests.
/// </summary>
internal static partial class UriText
{
    /// <summary>Not URIs by RFC 3986 nor by .NET.</summary>
    public static readonly string[] AgreedInvalid = ["not a uri", "relative/path", "https//no-colon.example.com", "://no-scheme.example.com"];

    /// <summary>A scheme, "://", a plain host name and a plain path: a URI by either rule.</summary>
    public static bool IsPlain(string value) => Plain().IsMatch(value);

    /// <summary>Whether both validators must judge <paramref name="value"/> the same way for <paramref name="schema"/>.</summary>
    public static bool SafeForOracle(JsonObject schema, string value) =>
        SchemaFacts.Text(schema, "format") != "uri"
        || IsPlain(value)
        || AgreedInvalid.Contains(value)
        || (SchemaFacts.Text(schema, "pattern") is { } pattern && !Regex.IsMatch(value, pattern));

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(/[A-Za-z0-9._~-]*)*\z")]
    private static partial Regex Plain();
}
