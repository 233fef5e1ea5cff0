using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.MySql;

/// <summary>MYSQL: MySQL and MariaDB servers.</summary>
public sealed class MySqlProber(NetworkPolicy network) : MySqlProtocolProber(network)
{
    public override string Type => "MYSQL";

    protected override string Product => "MySQL";
}
