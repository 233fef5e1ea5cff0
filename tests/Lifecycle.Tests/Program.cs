namespace Sources.Lifecycle.Tests;

/// <summary>Test runners load this assembly without calling it; <c>dotnet Sources.Lifecycle.Tests.dll crash-host …</c> runs <see cref="Crash.CrashHost"/>.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) =>
        args is ["crash-host", ..] ? Crash.CrashHost.Run(args[1..]) : Task.FromResult(0);
}
