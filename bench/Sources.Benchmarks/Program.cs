using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Sources.Benchmarks.ParseAndValidateBenchmarks).Assembly).Run(args);
