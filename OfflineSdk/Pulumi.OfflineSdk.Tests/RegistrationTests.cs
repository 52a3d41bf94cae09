using System.Collections.Immutable;
using OfflineSdkTests.Fakes;
using Pulumi;
using Pulumi.Testing;
using Pulumi.Utilities;

namespace OfflineSdkTests;

public class RegistrationTests
{
    private static BucketArgs FullArgs() => new()
    {
        BucketName = "data",
        Size = 3,
        Ratio = 0.5,
        Enabled = Output.Create(true),
        Password = Output.CreateSecret("pw"),
        Tier = Tier.Hot,
        Tags = { { "env", "dev" } },
        Rules =
        {
            new RuleArgs { RuleName = "r1", Ports = { 80, 443 }, Nested = new NestedArgs { Value = "deep" } },
            new RuleArgs { RuleName = "r2" },
        },
    };

    [Fact]
    public async Task Inputs_reach_the_mock_as_plain_values_keyed_by_wire_names()
    {
        var mocks = new RecordingMocks();
        await Deployment.TestAsync(mocks, TestHelpers.Update, () => { _ = new Bucket("b", FullArgs()); });

        var inputs = mocks.Single("b").Inputs;
        Assert.Equal("data", inputs["bucketName"]);
        Assert.Equal(3.0, Assert.IsType<double>(inputs["size"]));
        Assert.Equal(0.5, inputs["ratio"]);
        Assert.Equal(true, inputs["enabled"]);
        Assert.Equal("pw", inputs["password"]);
        Assert.Equal("hot", inputs["tier"]);
        Assert.False(inputs.ContainsKey("anything"));

        var tags = Assert.IsType<ImmutableDictionary<string, object>>(inputs["tags"]);
        Assert.Equal("dev", tags["env"]);
        var rules = Assert.IsType<ImmutableArray<object>>(inputs["rules"]);
        var first = Assert.IsType<ImmutableDictionary<string, object>>(rules[0]);
        Assert.Equal("r1", first["ruleName"]);
        Assert.Equal(new object[] { 80.0, 443.0 }, Assert.IsType<ImmutableArray<object>>(first["ports"]).ToArray());
        Assert.Equal("deep", Assert.IsType<ImmutableDictionary<string, object>>(first["nested"])["val"]);
        var second = Assert.IsType<ImmutableDictionary<string, object>>(rules[1]);
        Assert.False(second.ContainsKey("nested"));
        Assert.Equal("test:index/bucket:Bucket", mocks.Single("b").Type);
        Assert.Equal("", mocks.Single("b").Id);
        Assert.Equal("", mocks.Single("b").Provider);
    }

    [Fact]
    public async Task Outputs_are_filled_from_the_mock_state_through_output_constructors()
    {
        var mocks = new RecordingMocks
        {
            State = args => new Dictionary<string, object>
            {
                ["bucketName"] = "data",
                ["size"] = 7,
                ["password"] = Output.CreateSecret("pw"),
                ["tags"] = new Dictionary<string, string> { ["a"] = "b" },
                ["rules"] = new object[]
                {
                    new Dictionary<string, object> { ["ruleName"] = "r1", ["ports"] = new[] { 80 }, ["nested"] = new Dictionary<string, object> { ["val"] = "deep" } },
                },
            },
        };
        var resources = await Deployment.TestAsync(mocks, TestHelpers.Update, () => { _ = new Bucket("b"); });
        var bucket = resources.OfType<Bucket>().Single();

        Assert.Equal("b_id", await bucket.Id.ValueAsync());
        Assert.Equal("data", await bucket.BucketName.ValueAsync());
        Assert.Equal(7, await bucket.Size.ValueAsync());
        Assert.Equal("b", (await bucket.Tags.ValueAsync())["a"]);
        var rule = Assert.Single(await bucket.Rules.ValueAsync());
        Assert.Equal("r1", rule.RuleName);
        Assert.Equal(80, Assert.Single(rule.Ports));
        Assert.Equal("deep", rule.Nested!.Value);

        Assert.True(await Output.IsSecretAsync(bucket.Password));
        Assert.False(await Output.IsSecretAsync(bucket.BucketName));
        Assert.Contains(bucket, await OutputUtilities.GetDependenciesAsync(bucket.Size));

        // Not returned by the mock: known default during an update.
        Assert.True(await bucket.Arn.KnownAsync());
        Assert.Null(await bucket.Arn.ValueAsync());
    }

    [Fact]
    public async Task Outputs_the_mock_did_not_return_are_unknown_in_preview()
    {
        var mocks = new RecordingMocks { State = _ => new Dictionary<string, object> { ["bucketName"] = "n" } };
        var resources = await Deployment.TestAsync(mocks, new TestOptions(), () => { _ = new Bucket("b"); });
        var bucket = resources.OfType<Bucket>().Single();

        Assert.True(Deployment.Instance.IsDryRun);
        Assert.True(await bucket.BucketName.KnownAsync());
        Assert.False(await bucket.Arn.KnownAsync());
        var ran = false;
        var applied = bucket.Arn.Apply(a => { ran = true; return a; });
        Assert.False(await applied.KnownAsync());
        Assert.False(ran);
        Assert.True(await bucket.Id.KnownAsync());
    }

    [Fact]
    public async Task Unknown_inputs_are_omitted_in_preview()
    {
        var mocks = new RecordingMocks { State = _ => ImmutableDictionary<string, object>.Empty };
        await Deployment.TestAsync(mocks, new TestOptions(), () =>
        {
            var first = new Bucket("first");
            _ = new Bucket("second", new BucketArgs { BucketName = first.Arn, Size = 1 });
        });

        var inputs = mocks.Single("second").Inputs;
        Assert.False(inputs.ContainsKey("bucketName"));
        Assert.Equal(1.0, inputs["size"]);
    }

    [Fact]
    public async Task Urns_follow_the_pulumi_format()
    {
        var resources = await Deployment.TestAsync(new RecordingMocks(), TestHelpers.Update, () =>
        {
            _ = new Bucket("top");
            _ = new Group("g", nested: true);
        });

        async Task<string> UrnOf(string name) => await resources.Single(r => r.GetResourceName() == name).Urn.ValueAsync();

        // The function overloads leave their internal stack out of the result; it is still registered.
        Assert.DoesNotContain(resources, r => r is Stack);
        Assert.Equal("urn:pulumi:stack::project::pulumi:pulumi:Stack::project-stack", await Deployment.Current.Stack!.Urn.ValueAsync());
        Assert.Equal("urn:pulumi:stack::project::test:index/bucket:Bucket::top", await UrnOf("top"));
        Assert.Equal("urn:pulumi:stack::project::test:index:Group::g", await UrnOf("g"));
        Assert.Equal("urn:pulumi:stack::project::test:index:Group$test:index/bucket:Bucket::g-bucket", await UrnOf("g-bucket"));
        Assert.Equal("urn:pulumi:stack::project::test:index:Group$test:index:Group::g-inner", await UrnOf("g-inner"));
        Assert.Equal("urn:pulumi:stack::project::test:index:Group$test:index:Group$test:index/bucket:Bucket::g-inner-bucket", await UrnOf("g-inner-bucket"));

        var computed = Urn.Create("x", "t:m:T", parent: resources.Single(r => r.GetResourceName() == "g"));
        Assert.Equal("urn:pulumi:stack::project::test:index:Group$t:m:T::x", await computed.ValueAsync());
    }

    [Fact]
    public async Task Components_and_the_stack_register_their_outputs()
    {
        var mocks = new RecordingMocks();
        var (_, outputs) = await Deployment.TestAsync(mocks, TestHelpers.Update, () =>
        {
            var group = new Group("g");
            return new Dictionary<string, object?> { ["arn"] = group.Child.Arn, ["secret"] = Output.CreateSecret("s") };
        });

        Assert.IsType<Output<string>>(outputs["arn"]);
        var group = mocks.Outputs.Single(o => o.Urn.EndsWith("::g", StringComparison.Ordinal));
        Assert.Equal("arn:g-bucket", await group.Outputs["childArn"].ValueAsync());
        Assert.Equal("group", await group.Outputs["label"].ValueAsync());

        var stack = mocks.Outputs.Single(o => o.Urn.EndsWith("::project-stack", StringComparison.Ordinal));
        Assert.Equal("arn:g-bucket", await stack.Outputs["arn"].ValueAsync());
        Assert.True(await Output.IsSecretAsync(stack.Outputs["secret"]));
        Assert.DoesNotContain(mocks.Resources, r => r.Type == "pulumi:pulumi:Stack");
        Assert.Contains(mocks.Resources, r => r.Type == "test:index:Group");
    }

    [Fact]
    public async Task Options_are_resolved_and_recorded()
    {
        var mocks = new RecordingMocks();
        var resources = await Deployment.TestAsync(mocks, TestHelpers.Update, () =>
        {
            var provider = new TestProvider("prov");
            var group = new Group("g", new ComponentResourceOptions { Protect = true, Providers = { provider } });
            _ = new Bucket("imported", null, new CustomResourceOptions
            {
                Parent = group,
                ImportId = "existing-id",
                DependsOn = { group.Child },
                IgnoreChanges = { "tags" },
                RetainOnDelete = true,
            });
            _ = new Bucket("explicit", null, new CustomResourceOptions { Provider = provider, Protect = false, Parent = group });
        });

        var stack = Deployment.Current.Stack;
        var group = resources.OfType<Group>().Single();
        var imported = resources.Single(r => r.GetResourceName() == "imported");
        Assert.Same(stack, group.ResolvedOptions.Parent);
        Assert.Same(group, imported.ResolvedOptions.Parent);
        Assert.True(imported.ResolvedOptions.Protect);
        Assert.False(resources.Single(r => r.GetResourceName() == "explicit").ResolvedOptions.Protect);
        Assert.True(imported.ResolvedOptions.RetainOnDelete);
        Assert.Equal(new[] { "tags" }, imported.ResolvedOptions.IgnoreChanges);
        Assert.Equal("existing-id", ((CustomResourceOptions)imported.ResolvedOptions).ImportId);

        Assert.Equal("existing-id", mocks.Single("imported").Id);
        Assert.Equal("urn:pulumi:stack::project::pulumi:providers:test::prov::prov_id", mocks.Single("imported").Provider);
        Assert.Equal("urn:pulumi:stack::project::pulumi:providers:test::prov::prov_id", mocks.Single("explicit").Provider);
        Assert.Equal("pulumi:providers:test", mocks.Single("prov").Type);
    }

    [Fact]
    public async Task Provider_and_providers_together_are_rejected_and_explicit_providers_are_inherited()
    {
        var error = await Assert.ThrowsAsync<RunException>(() => Deployment.TestAsync(new RecordingMocks(), TestHelpers.Update, () =>
        {
            var provider = new TestProvider("p");
            _ = new Group("g", new ComponentResourceOptions { Provider = provider, Providers = { provider } });
        }));
        Assert.Contains("Do not supply both 'provider' and 'providers'", error.Message, StringComparison.Ordinal);

        var resources = await Deployment.TestAsync(new RecordingMocks(), TestHelpers.Update, () =>
        {
            var provider = new TestProvider("p");
            var parent = new Bucket("parent", null, new CustomResourceOptions { Provider = provider });
            _ = new Bucket("child", null, new CustomResourceOptions { Parent = parent });
            _ = new Bucket("orphan");
        });
        Assert.Equal("p", resources.Single(r => r.GetResourceName() == "child").ResolvedOptions.Provider!.GetResourceName());
        Assert.Null(resources.Single(r => r.GetResourceName() == "orphan").ResolvedOptions.Provider);
    }

    [Fact]
    public async Task AdditionalSecretOutputs_and_secret_inputs_do_not_make_mock_outputs_secret()
    {
        // As with the official mock monitor: only a secret in the mock's state makes an output secret.
        var resources = await Deployment.TestAsync(new RecordingMocks(), TestHelpers.Update, () =>
        {
            _ = new Bucket("b", new BucketArgs { Password = Output.CreateSecret("pw") }, new CustomResourceOptions { AdditionalSecretOutputs = { "password" } });
        });
        var bucket = resources.OfType<Bucket>().Single();
        Assert.Equal("pw", await bucket.Password.ValueAsync());
        Assert.False(await Output.IsSecretAsync(bucket.Password));
    }

    [Fact]
    public async Task EmptyMocks_echo_the_inputs_as_state()
    {
        var resources = await Deployment.TestAsync(new EmptyMocks(), TestHelpers.Update, () => { _ = new Bucket("b", new BucketArgs { BucketName = "n" }); });
        var bucket = resources.OfType<Bucket>().Single();
        Assert.Equal("n", await bucket.BucketName.ValueAsync());
        Assert.False(await bucket.Id.KnownAsync());
    }

    [Fact]
    public async Task Invokes_call_the_mock_and_convert_the_result()
    {
        var mocks = new RecordingMocks();
        Output<GetThingResult>? result = null;
        GetThingResult? direct = null;
        await Deployment.TestAsync(mocks, new TestOptions(), async () =>
        {
            result = GetThing.Invoke(new GetThingArgs { Key = Output.CreateSecret("k") });
            direct = await GetThing.InvokeAsync(new GetThingArgs { Key = "k2" });
        });

        var value = await result!.ValueAsync();
        Assert.Equal("thing", value.Id);
        Assert.Equal(new[] { "a", "b" }, value.Values.ToArray());
        Assert.Equal("thing", direct!.Id);
        Assert.Contains(mocks.Calls, c => c.Token == GetThing.Token && (string)c.Args["key"] == "k");
        Assert.Contains(mocks.Calls, c => (string)c.Args["key"] == "k2");
        // Secret arguments do not make the result secret: the provider (here the mock) decides.
        Assert.False(await Output.IsSecretAsync(result!));
    }

    [Fact]
    public async Task Invokes_with_unknown_arguments_are_not_called_and_are_unknown()
    {
        var mocks = new RecordingMocks { State = _ => ImmutableDictionary<string, object>.Empty };
        Output<GetThingResult>? result = null;
        await Deployment.TestAsync(mocks, new TestOptions(), () =>
        {
            var bucket = new Bucket("b");
            result = GetThing.Invoke(new GetThingArgs { Key = bucket.Arn });
        });

        Assert.False(await result!.KnownAsync());
        Assert.Empty(mocks.Calls);
    }

    [Fact]
    public async Task Unsupported_values_are_rejected_like_the_official_serializer()
    {
        var longValue = await Assert.ThrowsAsync<RunException>(() =>
            Deployment.TestAsync(new RecordingMocks(), TestHelpers.Update, () => { _ = new Bucket("b", new BucketArgs { Anything = 5L }); }));
        Assert.Contains("System.Int64 is not a supported argument type", longValue.Message, StringComparison.Ordinal);

        var intKeys = await Assert.ThrowsAsync<RunException>(() =>
            Deployment.TestAsync(new RecordingMocks(), TestHelpers.Update, () => { _ = new Bucket("b", new BucketArgs { Anything = new Dictionary<int, string> { [1] = "x" } }); }));
        Assert.Contains("Dictionaries are only supported with string keys", intKeys.Message, StringComparison.Ordinal);

        var accepted = new RecordingMocks();
        await Deployment.TestAsync(accepted, TestHelpers.Update, () =>
        {
            _ = new Bucket("b", new BucketArgs { Anything = new Dictionary<string, object> { ["list"] = new List<int> { 1 }, ["asset"] = new StringAsset("hi") } });
        });
        var anything = (ImmutableDictionary<string, object>)accepted.Single("b").Inputs["anything"];
        Assert.IsType<StringAsset>(anything["asset"]);
    }
}
