using Sources.Api.Cli;

namespace Sources.Api.Tests.Hosting;

/// <summary>
/// Sources:Role is read from the whole configuration the host reads: an appsettings.json that says
/// silo makes a headless silo (no HTTP), as an environment variable or an argument does.
/// </summary>
[Trait("Speed", "fast")]
public sealed class RoleConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sources-role-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string[] Args(params string[] more) => ["--contentRoot", _folder, .. more];

    [Fact]
    public void A_role_of_silo_in_appsettings_json_starts_a_headless_silo()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """{ "Sources": { "Role": "silo" } }""");
        var silo = HeadlessSilo.Requested(Args());
        Assert.NotNull(silo);
        Assert.Equal("silo", silo.Configuration["Sources:Role"]);
        silo.Configuration.Dispose();
    }

    [Fact]
    public void An_argument_overrides_the_file()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """{ "Sources": { "Role": "silo" } }""");
        Assert.Null(HeadlessSilo.Requested(Args("--Sources:Role=all")));
    }

    [Fact]
    public void Without_a_role_the_node_serves_HTTP()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """{ "Sources": { "Storage": "embedded" } }""");
        Assert.Null(HeadlessSilo.Requested(Args()));
    }
}
