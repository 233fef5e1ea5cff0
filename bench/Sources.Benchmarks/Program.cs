using BenchmarkDotNet.Running;
using Sources.Benchmarks;

if (args is ["--interleaved"])
    InterleavedComparison.Run();
else if (args is ["--probe-cpu", var target, var perRound, var rounds])
    ProbeCpu.Run(target, int.Parse(perRound, System.Globalization.CultureInfo.InvariantCulture), int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture));
else if (args is ["--probe-marks", var count, var parallel])
    await ProbeMarkCost.Run(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), int.Parse(parallel, System.Globalization.CultureInfo.InvariantCulture));
else
    BenchmarkSwitcher.FromAssembly(typeof(ParseAndValidateBenchmarks).Assembly).Run(args);
