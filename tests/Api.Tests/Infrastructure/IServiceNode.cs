namespace Sources.Api.Tests.Infrastructure;

/// <summary>
/// One running service node as its HTTP clients see it: a child process on a loopback port
/// (<see cref="ServiceProcess"/>) or the service hosted in the test process (<see cref="InProcessNode"/>).
/// </summary>
public interface IServiceNode
{
    string Name { get; }

    /// <summary>Where requests go; a child process's changes on every restart.</summary>
    Uri BaseAddress { get; }

    /// <summary>Sends requests (absolute URIs) to this node.</summary>
    HttpClient Http { get; }

    /// <summary>A client of its own for this node, with <see cref="BaseAddress"/> set.</summary>
    HttpClient NewHttpClient();

    /// <summary>All the service logged so far.</summary>
    string Logs { get; }
}
