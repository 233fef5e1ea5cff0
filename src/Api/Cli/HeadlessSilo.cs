using Sources.Silo.Hosting;

namespace Sources.Api.Cli;

/// <summary>
/// <c>Sources:Role=silo</c>: a cluster node with grains, probes and storage but no HTTP, for
/// operators who scale the API and the silos apart (the API then runs with Role=client).
/// </summary>
public static class HeadlessSilo
{
    /// <summary>
    /// The host of a headless silo when the configuration asks for one, else null. The role is read
    /// from the whole configuration the host reads (appsettings.json and its environment's file,
    /// environment variables, arguments), so the builder that read it is the one that runs.
    /// </summary>
    public static HostApplicationBuilder? Requested(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        if (SourcesSettings.RoleIn(builder.Configuration) == SourcesRole.Silo)
            return builder;
        // Not a silo: the web host reads the configuration again; this one's file watchers go.
        builder.Configuration.Dispose();
        return null;
    }

    public static async Task<int> Run(HostApplicationBuilder builder)
    {
        builder.AddSources();
        var host = builder.Build();
        StartupRefusal.Check(host.Services);
        await host.RunAsync();
        return 0;
    }
}
