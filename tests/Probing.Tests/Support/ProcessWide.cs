namespace Sources.Probing.Tests.Support;

/// <summary>
/// Tests of what is shared by the whole process, which run alone so no other test changes it
/// meanwhile: the environment (PGPASSWORD, HOME...), which they put back when they end, and the
/// drivers' process-wide caches.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWide
{
    public const string Name = "Process-wide state";

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
