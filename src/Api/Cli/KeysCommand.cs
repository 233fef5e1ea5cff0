using Microsoft.Extensions.Logging.Console;
using Sources.Silo.Grains.Keys;
using Sources.Silo.Hosting;

namespace Sources.Api.Cli;

/// <summary>
/// <c>keys create|list|revoke</c>: key management from the command line. In embedded mode it starts
/// a silo on the configured storage, so stop the service first (they would share a database and
/// ports); in postgres mode it connects to the running cluster as a client, which presents the
/// cluster's certificate (Sources:Cluster) like any node.
/// </summary>
public static class KeysCommand
{
    private const string Usage = """
        usage: keys create --account NAME
               keys list [--account NAME]
               keys revoke --key KEY_ID | --account NAME
        """;

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "keys";

    public static async Task<int> Run(string[] args)
    {
        var verb = args.Length > 1 ? args[1] : "";
        var account = Option(args, "--account");
        var keyId = Option(args, "--key");
        if (verb is not ("create" or "list" or "revoke") || (verb == "create" && account is null) || (verb == "revoke" && account is null && keyId is null))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(args.Skip(2).Where(a => !a.StartsWith("--account") && !a.StartsWith("--key")).ToArray());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Standard output carries only what the command prints (a new key, the list), so that
        // KEY=$(... keys create ...) works; log lines go to standard error.
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        var joinsCluster = builder.Configuration["Sources:Storage"] is "postgres" or "postgresql";
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
        using var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch (Exception e) when (joinsCluster && e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"keys: no node of the cluster accepted this client within {ClusterConnectLimit.Limit.TotalSeconds:0} s ({e.Message}). "
                + "Check that a node is up and that Sources:Cluster:Certificate is one the cluster's Sources:Cluster:CertificateAuthority signed.");
            return 1;
        }
        try
        {
            var keys = host.Services.GetRequiredService<ApiKeys>();
            switch (verb)
            {
                case "create":
                    Console.WriteLine(await keys.Create(account!));
                    break;
                case "list":
                    foreach (var key in await keys.List(account))
                        Console.WriteLine($"{key.KeyId}\t{key.Account}\t{key.CreatedAt:O}\t{(key.Revoked ? "revoked" : "live")}");
                    break;
                default:
                    var targets = keyId is not null ? [keyId] : (await keys.List(account)).Where(k => !k.Revoked).Select(k => k.KeyId).ToArray();
                    var revoked = await keys.Revoke(targets);
                    for (var i = 0; i < targets.Length; i++)
                        Console.WriteLine(revoked[i] ? $"revoked {targets[i]}" : $"{targets[i]}: no such live key");
                    break;
            }
            return 0;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
