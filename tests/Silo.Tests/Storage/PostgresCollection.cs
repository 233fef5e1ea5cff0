using Sources.TestServers;

namespace Sources.Silo.Tests.Storage;

/// <summary>One PostgreSQL server for every test class in the collection; each test makes its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
