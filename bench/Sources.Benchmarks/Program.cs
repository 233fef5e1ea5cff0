using BenchmarkDotNet.Running;
using Sources.Benchmarks;

if (args is ["--interleaved"])
    InterleavedComparison.Run();
else
    BenchmarkSwitcher.FromAssembly(typeof(ParseAndValidateBenchmarks).Assembly).Run(args);
