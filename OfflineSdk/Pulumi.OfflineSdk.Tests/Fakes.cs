using System.Collections.Concurrent;
using System.Collections.Immutable;
using Pulumi;
using Pulumi.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace OfflineSdkTests.Fakes;

[EnumType]
public readonly struct Tier : IEquatable<Tier>
{
    private readonly string _value;

    private Tier(string value) => _value = value;

    public static Tier Hot { get; } = new("hot");

    public static explicit operator string(Tier value) => value._value;

    public bool Equals(Tier other) => _value == other._value;

    public override bool Equals(object? obj) => obj is Tier other && Equals(other);

    public override int GetHashCode() => _value?.GetHashCode(StringComparison.Ordinal) ?? 0;

    public override string ToString() => _value;
}

public sealed class NestedArgs : ResourceArgs
{
    [Input("val")]
    public Input<string>? Value { get; set; }
}

public sealed class RuleArgs : ResourceArgs
{
    [Input("ruleName", required: true)]
    public Input<string> RuleName { get; set; } = null!;

    [Input("ports")]
    private InputList<int>? _ports;

    public InputList<int> Ports
    {
        get => _ports ??= new InputList<int>();
        set => _ports = value;
    }

    [Input("nested")]
    public Input<NestedArgs>? Nested { get; set; }
}

public sealed class BucketArgs : ResourceArgs
{
    [Input("bucketName")]
    public Input<string>? BucketName { get; set; }

    [Input("size")]
    public Input<int>? Size { get; set; }

    [Input("ratio")]
    public Input<double>? Ratio { get; set; }

    [Input("enabled")]
    public Input<bool>? Enabled { get; set; }

    [Input("password")]
    public Input<string>? Password { get; set; }

    [Input("tier")]
    public Input<Tier>? Tier { get; set; }

    [Input("tags")]
    private InputMap<string>? _tags;

    public InputMap<string> Tags
    {
        get => _tags ??= new InputMap<string>();
        set => _tags = value;
    }

    [Input("rules")]
    private InputList<RuleArgs>? _rules;

    public InputList<RuleArgs> Rules
    {
        get => _rules ??= new InputList<RuleArgs>();
        set => _rules = value;
    }

    [Input("anything")]
    public object? Anything { get; set; }
}

[OutputType]
public sealed class Nested
{
    public readonly string Value;

    [OutputConstructor]
    private Nested([OutputConstructorParameter("val")] string value) => Value = value;
}

[OutputType]
public sealed class Rule
{
    public readonly string RuleName;
    public readonly ImmutableArray<int> Ports;
    public readonly Nested? Nested;

    [OutputConstructor]
    private Rule(string ruleName, ImmutableArray<int> ports, Nested? nested)
    {
        RuleName = ruleName;
        Ports = ports;
        Nested = nested;
    }
}

public class Bucket : CustomResource
{
    public Bucket(string name, BucketArgs? args = null, CustomResourceOptions? options = null)
        : base("test:index/bucket:Bucket", name, args ?? new BucketArgs(), options)
    {
    }

    [Output("bucketName")]
    public Output<string> BucketName { get; private set; } = null!;

    [Output("size")]
    public Output<int> Size { get; private set; } = null!;

    [Output("arn")]
    public Output<string> Arn { get; private set; } = null!;

    [Output("password")]
    public Output<string?> Password { get; private set; } = null!;

    [Output("tags")]
    public Output<ImmutableDictionary<string, string>> Tags { get; private set; } = null!;

    [Output("rules")]
    public Output<ImmutableArray<Rule>> Rules { get; private set; } = null!;

    [Output("tier")]
    public Output<string?> TierName { get; private set; } = null!;
}

public sealed class TestProvider : ProviderResource
{
    public TestProvider(string name, CustomResourceOptions? options = null)
        : base("test", name, ResourceArgs.Empty, options)
    {
    }
}

public sealed class Group : ComponentResource
{
    public Group(string name, ComponentResourceOptions? options = null, bool nested = false)
        : base("test:index:Group", name, options)
    {
        Child = new Bucket($"{name}-bucket", new BucketArgs(), new CustomResourceOptions { Parent = this });
        if (nested)
        {
            Inner = new Group($"{name}-inner", new ComponentResourceOptions { Parent = this });
        }

        RegisterOutputs(new Dictionary<string, object?> { ["childArn"] = Child.Arn, ["label"] = "group" });
    }

    public Bucket Child { get; }

    public Group? Inner { get; }
}

public sealed class GetThingArgs : InvokeArgs
{
    [Input("key")]
    public Input<string>? Key { get; set; }
}

[OutputType]
public sealed class GetThingResult
{
    public readonly string Id;
    public readonly ImmutableArray<string> Values;

    [OutputConstructor]
    private GetThingResult(string id, ImmutableArray<string> values)
    {
        Id = id;
        Values = values;
    }
}

public static class GetThing
{
    public const string Token = "test:index/getThing:getThing";

    public static Output<GetThingResult> Invoke(GetThingArgs args, InvokeOptions? options = null)
        => Deployment.Instance.Invoke<GetThingResult>(Token, args, options);

    public static Task<GetThingResult> InvokeAsync(GetThingArgs args, InvokeOptions? options = null)
        => Deployment.Instance.InvokeAsync<GetThingResult>(Token, args, options);
}

/// <summary>Mocks that record every call. The state is the inputs plus an arn, unless a custom state function is given.</summary>
public sealed class RecordingMocks : IMocks
{
    public ConcurrentQueue<MockResourceArgs> Resources { get; } = new();
    public ConcurrentQueue<MockCallArgs> Calls { get; } = new();
    public ConcurrentQueue<MockRegisterResourceOutputsRequest> Outputs { get; } = new();
    public Func<MockResourceArgs, object>? State { get; init; }
    public Func<MockCallArgs, object>? CallResult { get; init; }

    public MockResourceArgs Single(string name) => Resources.Single(r => r.Name == name);

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        Resources.Enqueue(args);
        object state = State?.Invoke(args) ?? args.Inputs.Add("arn", $"arn:{args.Name}");
        return Task.FromResult<(string? id, object state)>(($"{args.Name}_id", state));
    }

    public Task<object> CallAsync(MockCallArgs args)
    {
        Calls.Enqueue(args);
        return Task.FromResult(CallResult?.Invoke(args) ?? new Dictionary<string, object> { ["id"] = "thing", ["values"] = new[] { "a", "b" } });
    }

    public Task RegisterResourceOutputs(MockRegisterResourceOutputsRequest args)
    {
        Outputs.Enqueue(args);
        return Task.CompletedTask;
    }
}

public static class TestHelpers
{
    public static Task<T> ValueAsync<T>(this Output<T> output) => Pulumi.Utilities.OutputUtilities.GetValueAsync(output);

    public static Task<bool> KnownAsync<T>(this Output<T> output) => Pulumi.Utilities.OutputUtilities.GetIsKnownAsync(output);

    public static TestOptions Update => new() { IsPreview = false };

    public static TestOptions Preview => new() { IsPreview = true };
}
