using MySqlConnector;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.MySql;

/// <summary>
/// SINGLESTORE: speaks the MySQL protocol, but its VERSION() answers the MySQL version it
/// imitates; the product's own version is in @@memsql_version.
/// </summary>
public sealed class SingleStoreProber(NetworkPolicy network) : MySqlProtocolProber(network)
{
    public override string Type => "SINGLESTORE";

    protected override string Product => "SingleStore";

    protected override async Task<string?> Version(MySqlConnection connection, BudgetClock clock, CancellationToken cancellation)
    {
        // SHOW VARIABLES answers an empty set where the variable does not exist (a MySQL
        // server given as SINGLESTORE), where SELECT @@memsql_version would be an error.
        var own = await MySqlCatalog.Scalar(connection, "SHOW VARIABLES LIKE 'memsql_version'", clock, cancellation, column: 1);
        return own ?? await base.Version(connection, clock, cancellation);
    }
}
