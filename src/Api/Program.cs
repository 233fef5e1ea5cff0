using Sources.Api.Cli;
using Sources.Api.Apis;
using Sources.Api.Extensions;
using Sources.Api.Operations;

if (KeysCommand.Matches(args))
    return await KeysCommand.Run(args);
if (SecretsCommand.Matches(args))
    return await SecretsCommand.Run(args);
if (HeadlessSilo.Requested(args) is { } silo)
    return await HeadlessSilo.Run(silo);

var builder = WebApplication.CreateBuilder(args);
builder.AddSourcesService();

var app = builder.Build();
app.UseSourcesPipeline();
app.MapOperations();
app.MapSourcesApi();
await app.RunAsync();
return 0;

/// <summary>Visible to the end-to-end tests, which host the service in-process.</summary>
public partial class Program;
