using System.Data.Common;

namespace Sources.Silo.Storage;

/// <summary>Our statements take named parameters, given as (name, value) pairs.</summary>
internal static class NamedParameters
{
    /// <summary>Adds each pair as a parameter made by whatever will run the statement (a command or a batch command).</summary>
    public static void AddAll(this DbParameterCollection collection, Func<DbParameter> create, IEnumerable<(string Name, object Value)> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var parameter = create();
            parameter.ParameterName = name;
            parameter.Value = value;
            collection.Add(parameter);
        }
    }

    /// <summary>A command on its own pooled connection, opened when it runs.</summary>
    public static DbCommand Command(this DbDataSource database, string sql, params (string Name, object Value)[] parameters)
    {
        var command = database.CreateCommand(sql);
        command.Parameters.AddAll(command.CreateParameter, parameters);
        return command;
    }
}
