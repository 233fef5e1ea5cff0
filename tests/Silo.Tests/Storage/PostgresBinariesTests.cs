using Sources.TestServers;

namespace Sources.Silo.Tests.Storage;

public sealed class PostgresBinariesTests
{
    [Fact]
    public void Missing_binaries_point_at_the_test_script()
    {
        var nowhere = Path.Combine(Path.GetTempPath(), "no-postgresql-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<InvalidOperationException>(() => PostgresBinaries.FindBinDirectory(nowhere));

        Assert.Contains("scripts/test.sh", error.Message);
    }

    [Fact]
    public void The_newest_major_version_wins()
    {
        var root = Directory.CreateTempSubdirectory("fake-postgresql-").FullName;
        try
        {
            foreach (var major in new[] { "9", "15", "13" })
            {
                var bin = Directory.CreateDirectory(Path.Combine(root, major, "bin")).FullName;
                File.WriteAllText(Path.Combine(bin, "initdb"), "");
                File.WriteAllText(Path.Combine(bin, "pg_ctl"), "");
            }

            Assert.Equal(Path.Combine(root, "15", "bin"), PostgresBinaries.FindBinDirectory(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
