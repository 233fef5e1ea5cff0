namespace Sources.Silo.Grains;

/// <summary>The grain storage every grain of ours persists to (ADO.NET, SQLite or PostgreSQL).</summary>
public static class StorageNames
{
    public const string Sources = "sources";
}
