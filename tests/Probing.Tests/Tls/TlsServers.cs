using Sources.TestServers;

namespace Sources.Probing.Tests.Tls;

/// <summary>
/// The suite's PostgreSQL and MariaDB, each started with a certificate for "localhost" from a CA
/// this test run makes, taking TCP connections only over TLS; and a second CA that signed nothing
/// they present.
/// </summary>
public sealed class TlsServers : IAsyncLifetime
{
    public ServerTls Tls { get; } = ServerTls.Create();

    public ServerTls OtherAuthority { get; } = ServerTls.Create("sources test other CA");

    public PostgresServer Postgres { get; private set; } = null!;

    public MariaDbServer MariaDb { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var postgres = PostgresServer.StartWithTlsOnlyAsync(Tls);
        var mariaDb = MariaDbServer.StartWithTlsOnlyAsync(Tls);
        Postgres = await postgres;
        MariaDb = await mariaDb;
    }

    public async Task DisposeAsync()
    {
        if (Postgres is not null) await Postgres.DisposeAsync();
        if (MariaDb is not null) await MariaDb.DisposeAsync();
        Tls.Dispose();
        OtherAuthority.Dispose();
    }
}
