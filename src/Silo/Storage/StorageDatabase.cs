using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Sources.Silo.Storage;

/// <summary>
/// The database a <see cref="StorageOptions"/> points at, in the terms the Orleans ADO.NET providers
/// take: an ADO.NET invariant name and a connection string, plus the dialect our migrator speaks.
/// </summary>
internal sealed record StorageDatabase(string Invariant, string ConnectionString, ISchemaDialect Dialect)
{
    /// <summary>Npgsql, as the Orleans ADO.NET providers name it.</summary>
    public const string PostgresInvariant = "Npgsql";

    /// <summary>
    /// SQLite. The 10.4.2 providers know SQLite only under the name "System.Data.SQLite", which they
    /// map to Microsoft.Data.Sqlite's SqliteFactory; the name "Microsoft.Data.Sqlite" is rejected as
    /// unsupported. So this is the invariant that makes them use Microsoft.Data.Sqlite.
    /// </summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    public const string SqliteFileName = "sources.db";

    public bool IsPostgres => Invariant == PostgresInvariant;

    /// <summary>Pooled connections to this database, for the code that talks to it without the Orleans providers.</summary>
    public DbDataSource CreateDataSource() => IsPostgres
        ? NpgsqlDataSource.Create(ConnectionString)
        : SqliteFactory.Instance.CreateDataSource(ConnectionString);

    public static StorageDatabase From(StorageOptions options) => options.Mode switch
    {
        StorageMode.Postgres => new(PostgresInvariant, options.ConnectionString!, new PostgresDialect()),
        StorageMode.Embedded => new(SqliteInvariant, SqliteConnectionString(options.DataDirectory), new SqliteDialect()),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "Unknown storage mode."),
    };

    private static string SqliteConnectionString(string dataDirectory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(Path.GetFullPath(dataDirectory), SqliteFileName),
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        // Seconds a statement keeps retrying while another connection holds the write lock.
        DefaultTimeout = 30,
    }.ConnectionString;
}
