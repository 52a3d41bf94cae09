using BenchmarkDotNet.Running;
using Psoxy.Infra.Benchmarks;

// `-- --counts`: the resource counts and longest dependency chains behind BENCHMARKS.md; otherwise BenchmarkDotNet
// (`-- --filter '*'` runs everything, `-- --list flat` lists the benchmarks).
if (args is ["--counts"])
{
    return await Counts.RunAsync(Console.Out);
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(OfflinePlanBenchmarks).Assembly).Run(args).ToList();
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
