using OfflineSdkTests.Fakes;
using Pulumi;
using Pulumi.Testing;

namespace OfflineSdkTests;

public class DeploymentTests
{
    public sealed class OutputsStack : Stack
    {
        public OutputsStack()
        {
            var bucket = new Bucket("b");
            Arn = bucket.Arn;
        }

        [Output("bucketArn")]
        public Output<string> Arn { get; private set; }
    }

    public sealed class UnassignedStack : Stack
    {
        [Output]
        public Output<string> Missing { get; set; } = null!;
    }

    public sealed class ThrowingStack : Stack
    {
        public ThrowingStack()
        {
            throw new InvalidOperationException("boom in stack");
        }
    }

    [Fact]
    public async Task TestAsync_with_a_stack_returns_the_stack_and_its_resources()
    {
        var mocks = new RecordingMocks();
        var resources = await Deployment.TestAsync<OutputsStack>(mocks, TestHelpers.Update);

        var stack = Assert.Single(resources.OfType<OutputsStack>());
        Assert.Single(resources.OfType<Bucket>());
        Assert.Equal("arn:b", await stack.Arn.ValueAsync());
        var registered = mocks.Outputs.Single(o => o.Urn.EndsWith("::project-stack", StringComparison.Ordinal));
        Assert.Equal("arn:b", await registered.Outputs["bucketArn"].ValueAsync());
    }

    [Fact]
    public async Task Defaults_of_TestOptions()
    {
        await Deployment.TestAsync(new EmptyMocks(), new TestOptions(), () => { });
        Assert.True(Deployment.Instance.IsDryRun);
        Assert.Equal("project", Deployment.Instance.ProjectName);
        Assert.Equal("stack", Deployment.Instance.StackName);
        Assert.Equal("organization", Deployment.Instance.OrganizationName);
    }

    [Fact]
    public async Task Function_overloads_exclude_the_internal_stack()
    {
        var viaAction = await Deployment.TestAsync(new EmptyMocks(), new TestOptions(), () => { _ = new Bucket("a"); });
        Assert.Equal("a", Assert.Single(viaAction).GetResourceName());

        var viaTask = await Deployment.TestAsync(new EmptyMocks(), new TestOptions(), async () =>
        {
            await Task.Yield();
            _ = new Bucket("t");
        });
        Assert.Equal("t", Assert.Single(viaTask).GetResourceName());

        var (resources, outputs) = await Deployment.TestAsync(new EmptyMocks(), new TestOptions(), async () =>
        {
            await Task.Yield();
            return (IDictionary<string, object?>)new Dictionary<string, object?> { ["x"] = Output.Create(1) };
        });
        Assert.Empty(resources);
        Assert.Equal(1, await ((Output<int>)outputs["x"]!).ValueAsync());
    }

    [Fact]
    public async Task Unassigned_stack_outputs_fail_the_run()
    {
        var error = await Assert.ThrowsAsync<RunException>(() => Deployment.TestAsync<UnassignedStack>(new EmptyMocks()));
        Assert.Contains("Missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("no value assigned", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_exceptions_and_logged_errors_surface_as_run_exceptions()
    {
        var thrown = await Assert.ThrowsAsync<RunException>(() => Deployment.TestAsync<ThrowingStack>(new EmptyMocks()));
        Assert.Contains("boom in stack", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("unhandled exception", thrown.Message, StringComparison.Ordinal);

        var inApply = await Assert.ThrowsAsync<RunException>(() => Deployment.TestAsync(new EmptyMocks(), TestHelpers.Update, () =>
        {
            _ = Output.Create(1).Apply(new Func<int, int>(_ => throw new InvalidOperationException("apply failed")));
        }));
        Assert.Contains("apply failed", inApply.Message, StringComparison.Ordinal);

        var logged = await Assert.ThrowsAsync<RunException>(() => Deployment.TestAsync(new EmptyMocks(), new TestOptions(), () => Log.Error("bad thing")));
        Assert.Equal("bad thing", logged.Message);

        var several = await Assert.ThrowsAsync<AggregateException>(() => Deployment.TestAsync(new EmptyMocks(), new TestOptions(), () =>
        {
            Log.Error("one");
            Log.Error("two");
        }));
        Assert.Equal(2, several.InnerExceptions.Count);
        Assert.All(several.InnerExceptions, e => Assert.IsType<RunException>(e));

        await Deployment.TestAsync(new EmptyMocks(), new TestOptions(), () => Log.Warn("only a warning"));
        Assert.Contains(Deployment.Current.LogEntries, e => e.Message == "only a warning" && e.Severity == LogSeverity.Warning);
    }

    [Fact]
    public async Task RunAsync_refuses_to_deploy()
    {
        var original = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        int code;
        try
        {
            code = await Deployment.RunAsync((Action)(() => throw new InvalidOperationException("must not run")));
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.NotEqual(0, code);
        Assert.Contains("offline", captured.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("PulumiSdk=Official", captured.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await Deployment.RunAsync<OutputsStack>());
    }
}
