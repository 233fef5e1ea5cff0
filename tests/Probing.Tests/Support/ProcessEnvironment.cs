namespace Sources.Probing.Tests.Support;

/// <summary>
/// Tests that set the process's environment (PGPASSWORD, HOME...) run alone, never beside
/// another test that could read it, and put every variable back when they end.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironment
{
    public const string Name = "Process environment";

    public static IDisposable Set(params (string Name, string? Value)[] variables)
    {
        var previous = variables.Select(v => (v.Name, Environment.GetEnvironmentVariable(v.Name))).ToList();
        foreach (var (name, value) in variables)
            Environment.SetEnvironmentVariable(name, value);
        return new Restore(previous);
    }

    private sealed class Restore(List<(string Name, string? Value)> previous) : IDisposable
    {
        public void Dispose()
        {
            foreach (var (name, value) in previous)
                Environment.SetEnvironmentVariable(name, value);
        }
    }
}
