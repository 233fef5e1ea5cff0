using System.Data.Common;

namespace Sources.Silo.Storage;

/// <summary>What the migrator needs to know about one database engine; the SQL itself lives in the
/// versioned scripts under Storage/Sql/&lt;ScriptFolder&gt;.</summary>
internal interface ISchemaDialect
{
    /// <summary>Folder of this engine's migration scripts, e.g. "Postgres".</summary>
    string ScriptFolder { get; }

    /// <summary>Creates the table that records which migrations have been applied, if missing.</summary>
    string CreateVersionTableSql { get; }

    /// <summary>Opens a connection ready for migrating (creating whatever the engine needs first).</summary>
    Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancellationToken);

    /// <summary>Keeps other nodes from migrating the same database until disposed.</summary>
    Task<IAsyncDisposable> LockAsync(DbConnection connection, CancellationToken cancellationToken);
}
