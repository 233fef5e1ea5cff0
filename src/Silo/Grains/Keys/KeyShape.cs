namespace Sources.Silo.Grains.Keys;

/// <summary>
/// What an API key looks like, checked before anything is asked of a grain, so a value that
/// cannot be a key costs no activation and no database read.
/// <list type="bullet">
/// <item>Our keys: <c>sk_</c>, the id (12 lowercase hex digits), <c>_</c>, the secret (16 to 200 of <c>A-Z a-z 0-9 - _</c>; ours are 43).</item>
/// <item>An operator's own value (SOURCES_BOOTSTRAP_API_KEY) that does not start with <c>sk_</c>: 16 to 256 visible ASCII
/// characters. Its id is a hash of the whole value, and the whole value is its secret.</item>
/// </list>
/// </summary>
public static class KeyShape
{
    public const string Prefix = "sk_";
    public const int IdLength = 12;
    public const int MinSecret = 16;
    public const int MaxSecret = 200;
    public const int MaxOwnValue = 256;

    /// <summary>The id and secret of a value shaped like a key; false for anything else.</summary>
    public static bool TryParse(string value, out string keyId, out string secret)
    {
        keyId = secret = "";
        if (value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var rest = value.AsSpan(Prefix.Length);
            if (rest.Length < IdLength + 1 + MinSecret || rest.Length > IdLength + 1 + MaxSecret || rest[IdLength] != '_')
                return false;
            foreach (var c in rest[..IdLength])
                if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
            foreach (var c in rest[(IdLength + 1)..])
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_')) return false;
            keyId = rest[..IdLength].ToString();
            secret = rest[(IdLength + 1)..].ToString();
            return true;
        }
        if (value.Length < MinSecret || value.Length > MaxOwnValue)
            return false;
        foreach (var c in value)
            if (c is < '!' or > '~') return false;
        keyId = "v" + Convert.ToHexStringLower(ApiKeys.Hash(value))[..16];
        secret = value;
        return true;
    }

    /// <summary>Why a value given to be a key (an operator's own) cannot be one.</summary>
    public const string Rule =
        "An API key is either sk_<12 lowercase hex digits>_<16 to 200 of A-Z a-z 0-9 - _>, or a value of your own of 16 to 256 visible ASCII characters that does not start with sk_.";
}
