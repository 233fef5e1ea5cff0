using Sources.TestServers;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>The three loopback ports one node listens on.</summary>
public sealed record Ports(int Http, int Silo, int Gateway)
{
    public static Ports Fresh() => new(FreePort.Next(), FreePort.Next(), FreePort.Next());
}
