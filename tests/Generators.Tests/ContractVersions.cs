using Sources.Generators.Tests.Harness;

namespace Sources.Generators.Tests;

/// <summary>
/// The real contract and an evolved copy, each compiled and loaded once for the evolution tests.
/// The copy adds an <c>sslmode</c> enum to PostgresConnectionRequest and tightens its
/// <c>account_name</c> from at most 255 characters to at most 50.
/// </summary>
public sealed class ContractVersions : IDisposable
{
    private const string PostgresShape = "    PostgresConnectionRequest:\n";

    private const string SslMode = """
                sslmode:
                  type: string
                  enum: [disable, require, verify-full]
                  description: How the connection uses TLS.

        """;

    internal LoadedContract Original { get; } = LoadedContract.Compile(Specs.Real, "Contracts.Original");
    internal LoadedContract Evolved { get; } = LoadedContract.Compile(Evolve(Specs.Real), "Contracts.Evolved");

    /// <summary>The edits, each made inside the Postgres shape only, and checked to have happened.</summary>
    internal static string Evolve(string spec)
    {
        var shape = spec.IndexOf(PostgresShape, StringComparison.Ordinal);
        Assert.True(shape >= 0, "the spec has no PostgresConnectionRequest");
        var accountName = spec.IndexOf("        account_name:\n", shape, StringComparison.Ordinal);
        var limit = spec.IndexOf("maxLength: 255", accountName, StringComparison.Ordinal);
        var next = spec.IndexOf("        hostname:\n", accountName, StringComparison.Ordinal);
        Assert.True(accountName > shape && limit > accountName && limit < next, "account_name of Postgres is not where expected");

        return spec[..accountName] + SslMode.Replace("\r\n", "\n") + spec[accountName..limit] + "maxLength: 50" + spec[(limit + "maxLength: 255".Length)..];
    }

    public void Dispose()
    {
        Original.Dispose();
        Evolved.Dispose();
    }
}
