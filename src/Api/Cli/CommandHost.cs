using Microsoft.Extensions.Logging.Console;
using Sources.Silo.Hosting;

namespace Sources.Api.Cli;

/// <summary>
/// The host the <c>secrets</c> command runs in, on the service's own configuration, as the keys
/// command's. In embedded mode it hosts the node itself, so the service must be stopped first
/// (they would share a database and ports); in postgres mode it is a client of the running
/// cluster, presenting the cluster's certificate like any node.
/// </summary>
internal static class CommandHost
{
    /// <param name="args">The configuration arguments, the command's own words and options taken out.</param>
    /// <param name="joinsCluster">Whether it is a client of a running cluster (postgres mode), which gives up after <see cref="ClusterConnectLimit.Limit"/>.</param>
    public static IHost Build(string[] args, out bool joinsCluster)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Standard output carries only what the command prints (a new key, the list), so that
        // KEY=$(... keys create ...) works; log lines go to standard error.
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        joinsCluster = builder.Configuration["Sources:Storage"] is "postgres" or "postgresql";
        if (joinsCluster)
        {
            // A client of the running cluster, through its gateways: the command hosts no grains
            // and never joins or leaves the membership, so the nodes serving requests see no
            // change (a member that left a moment ago can fail their next calls with a 503).
            builder.Configuration["Sources:Role"] = "client";
            builder.Services.AddSingleton<IClientConnectionRetryFilter>(new ClusterConnectLimit(TimeProvider.System));
        }
        // Embedded, the command hosts the node itself (the service is stopped); a node that lives
        // for one command must not claim health checks it would never finish, nor touch FILE folders.
        builder.Configuration["Sources:Probe:Sweep"] = "false";
        builder.Configuration["Sources:Files:Sweep"] = "false";
        builder.AddSources();
        var host = builder.Build();
        StartupRefusal.Check(host.Services);
        return host;
    }
}
