namespace Sources.Probing.Tests.Support;

/// <summary>The checkout this test run was built from, found by walking up to Sources.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Sources.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Sources.sln was not found above " + AppContext.BaseDirectory);
    }
}
