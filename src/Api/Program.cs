using Sources.Api.Cli;
using Sources.Api.Apis;
using Sources.Api.Extensions;
using Sources.Api.Operations;
using Sources.Silo.Hosting;

// A refused setting ends the process with one line per failure on stderr, naming its key.
return await StartupRefusal.Run(async () =>
{
    if (KeysCommand.Matches(args))
        return await KeysCommand.Run(args);
    if (SecretsCommand.Matches(args))
        return await SecretsCommand.Run(args);
    if (HeadlessSilo.Requested(args) is { } silo)
        return await HeadlessSilo.Run(silo);

    var builder = WebApplication.CreateBuilder(args);
    builder.AddSourcesService();

    var app = builder.Build();
    StartupRefusal.Check(app.Services);
    app.UseSourcesPipeline();
    app.MapOperations();
    app.MapSourcesApi();
    await app.RunAsync();
    return 0;
}, Console.Error);

/// <summary>Visible to the end-to-end tests, which host the service in-process.</summary>
public partial class Program;
