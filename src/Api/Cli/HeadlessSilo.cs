using Sources.Silo.Hosting;

namespace Sources.Api.Cli;

/// <summary>
/// <c>Sources:Role=silo</c>: a cluster node with grains, probes and storage but no HTTP, for
/// operators who scale the API and the silos apart (the API then runs with Role=client).
/// </summary>
public static class HeadlessSilo
{
    public static bool Requested(string[] args) =>
        new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build()["Sources:Role"]
            is { } role && role.Equals(nameof(SourcesRole.Silo), StringComparison.OrdinalIgnoreCase);

    public static async Task<int> Run(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddSources();
        await builder.Build().RunAsync();
        return 0;
    }
}
