namespace Sources.Silo.Probing.Network;

/// <summary>
/// "Sources:Network": which otherwise-denied destinations a probe may reach. Entries are
/// "loopback", "private", or CIDR ranges. Link-local and cloud metadata addresses stay denied
/// whatever this says.
/// </summary>
public sealed class NetworkSettings
{
    public List<string> Allow { get; set; } = [];
}
