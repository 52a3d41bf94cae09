using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using Psoxy.Infra.Planning;
using Pulumi;
using Pulumi.Testing;

namespace Psoxy.Infra.Benchmarks;

/// <summary>
/// The offline plan (<see cref="OfflinePlan.PlanAsync"/>: the real program in preview mode under
/// <see cref="PlanMocks"/>, then the plan built from what it declared) of a generated stack per host and connector
/// count, against a baseline: the same run, same configuration and mocks, of a program that declares nothing.
/// The baseline takes the stack too, so that BenchmarkDotNet puts each plan beside its own baseline (Ratio column).
/// </summary>
/// <remarks>
/// The program reads its configuration from the process-global <c>PULUMI_CONFIG</c> variables, so every invocation
/// sets them itself before running (<see cref="OfflinePlan.PlanAsync"/> does; the baseline does the same): no
/// benchmark can see another's configuration, whatever the order.
/// </remarks>
[Config(typeof(ShortInProcessConfig))]
[MemoryDiagnoser]
public class OfflinePlanBenchmarks
{
    public static IEnumerable<GeneratedStack> Stacks => GeneratedStack.All;

    /// <summary>No resources: <c>Deployment.TestAsync</c> of an empty stack under the plan's mocks.</summary>
    [Benchmark(Baseline = true, Description = "Empty program (no resources)")]
    [ArgumentsSource(nameof(Stacks))]
    public async Task<int> Baseline(GeneratedStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var config = stack.ToStackFile();
        config.ExportToEnvironment();
        var resources = await Deployment.TestAsync<EmptyStack>(new PlanMocks(config.Values), new TestOptions
        {
            IsPreview = true,
            ProjectName = "psoxy",
            StackName = stack.StackName,
        });
        return resources.Length;
    }

    [Benchmark(Description = "Offline plan")]
    [ArgumentsSource(nameof(Stacks))]
    public async Task<int> Plan(GeneratedStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var plan = await stack.PlanAsync();
        return plan.Resources.Count;
    }
}

/// <summary>A program that declares no resources: the cost of a preview run itself.</summary>
public class EmptyStack : Stack;

/// <summary>
/// A few iterations, in this process: minutes for the whole run, and no second build.
/// </summary>
public class ShortInProcessConfig : ManualConfig
{
    public ShortInProcessConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("Short"));
    }
}
