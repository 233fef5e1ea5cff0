using Sources.Silo.Hosting;

namespace Sources.Silo.Tests.Hosting;

/// <summary>When the node gives the collector's spare committed memory back: after a peak, not while the heap needs it, and not again while it holds steady.</summary>
[Trait("Speed", "fast")]
public sealed class SpareMemoryReturnTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public void After_a_peak_the_spare_part_is_returned()
    {
        // 460 MiB committed, 60 MiB in use: the shape the idle-sources benchmark leaves after 100,000 creates.
        Assert.True(SpareMemoryReturn.Worth(460 * MiB, 60 * MiB, leftAfterLast: 0));
    }

    [Fact]
    public void A_heap_that_uses_most_of_what_is_committed_is_left_alone()
    {
        Assert.False(SpareMemoryReturn.Worth(460 * MiB, 300 * MiB, leftAfterLast: 0));
        Assert.False(SpareMemoryReturn.Worth(100 * MiB, 40 * MiB, leftAfterLast: 0));
    }

    [Fact]
    public void It_is_not_repeated_until_committed_memory_grows_again()
    {
        // The last collection left 120 MiB committed (gen0's budget over a 20 MiB heap).
        Assert.False(SpareMemoryReturn.Worth(150 * MiB, 20 * MiB, leftAfterLast: 120 * MiB));
        Assert.True(SpareMemoryReturn.Worth(200 * MiB, 20 * MiB, leftAfterLast: 120 * MiB));
    }
}
