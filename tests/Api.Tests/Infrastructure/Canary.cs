using System.Text;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>
/// A value that must never leave the secret fields it was planted in. It is looked for as itself and
/// in the forms an accidental copy would take on the way to a log or a table: base64 (at each of the
/// three byte alignments) and hex.
/// </summary>
public sealed class Canary
{
    public Canary() => Value = $"Canary{Guid.NewGuid():N}";

    public string Value { get; }

    public IReadOnlyList<string> Forms => [Value, .. Base64Forms(), Convert.ToHexStringLower(Bytes), Convert.ToHexString(Bytes)];

    private byte[] Bytes => Encoding.ASCII.GetBytes(Value);

    public void AssertAbsent(string where, string text)
    {
        foreach (var form in Forms)
            Assert.False(text.Contains(form, StringComparison.Ordinal), $"the canary ({form}) appears in {where}");
    }

    public void AssertAbsent(string where, byte[] bytes)
    {
        foreach (var form in Forms)
            Assert.False(bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(form)) >= 0, $"the canary ({form}) appears in {where}");
    }

    /// <summary>For each alignment, the base64 characters that depend on the canary's bytes alone.</summary>
    private IEnumerable<string> Base64Forms()
    {
        for (var offset = 0; offset < 3; offset++)
        {
            var encoded = Convert.ToBase64String([.. new byte[offset], .. Bytes]);
            var start = offset == 0 ? 0 : 4;
            var stableBytes = (Bytes.Length - (offset == 0 ? 0 : 3 - offset)) / 3 * 3;
            yield return encoded.Substring(start, stableBytes / 3 * 4);
        }
    }
}
