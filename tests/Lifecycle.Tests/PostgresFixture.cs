using Sources.TestServers;

namespace Sources.Lifecycle.Tests;

/// <summary>One real PostgreSQL for the lifecycle tests: a login with a password, a database with
/// a schema and a table to discover, and a role without rights.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string User = "analyst";
    public const string Password = "analyst-pw";
    public const string Database = "shop";

    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await PostgresServer.StartAsync();
        await Server.CreateDatabaseAsync(Database);
        await Server.CreateLoginAsync(User, Password);
        await Server.ExecuteAsync(Database, $"CREATE SCHEMA sales; CREATE TABLE sales.orders (id int); CREATE VIEW sales.recent AS SELECT 1 AS id; GRANT ALL ON SCHEMA sales TO {User};");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
