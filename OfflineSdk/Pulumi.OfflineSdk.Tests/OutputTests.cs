using System.Collections.Immutable;
using OfflineSdkTests.Fakes;
using Pulumi;
using Pulumi.Testing;
using Pulumi.Utilities;

namespace OfflineSdkTests;

public class OutputTests
{
    [Fact]
    public async Task Apply_on_unknown_does_not_run_and_stays_unknown_and_secret()
    {
        var ran = false;
        var unknown = Output.CreateSecret(OutputUtilities.CreateUnknown("x"));
        var result = unknown.Apply(v => { ran = true; return v + "!"; });

        Assert.False(await result.KnownAsync());
        Assert.True(await Output.IsSecretAsync(result));
        Assert.False(ran);
        Assert.Null(await OutputUtilities.GetValueAsync(result));
    }

    [Fact]
    public async Task Apply_flattens_outputs_and_unions_secrets_and_dependencies()
    {
        var resources = await Deployment.TestAsync(new RecordingMocks(), TestHelpers.Update, () => { _ = new Bucket("b1"); });
        var bucket = resources.OfType<Bucket>().Single();

        var plain = Output.Create(2);
        var inner = OutputUtilities.WithDependency(Output.CreateSecret("s"), bucket);
        var flattened = plain.Apply(v => inner.Apply(s => $"{s}{v}"));

        Assert.Equal("s2", await flattened.ValueAsync());
        Assert.True(await Output.IsSecretAsync(flattened));
        Assert.Contains(bucket, await OutputUtilities.GetDependenciesAsync(flattened));

        Output<string> viaInput = plain.Apply(v => (Input<string>)$"n{v}");
        Assert.Equal("n2", await viaInput.ValueAsync());
        var viaTask = plain.Apply(async v => { await Task.Yield(); return v * 10; });
        Assert.Equal(20, await viaTask.ValueAsync());
    }

    [Fact]
    public async Task Format_Tuple_and_All_propagate_secrets_and_unknowns()
    {
        var secret = Output.CreateSecret("pw");
        Output<int> number = Output.Create(3);
        var formatted = Output.Format($"a-{secret}-{number}-{5}");
        Assert.Equal("a-pw-3-5", await formatted.ValueAsync());
        Assert.True(await Output.IsSecretAsync(formatted));

        var tuple = Output.Tuple(number, secret, Output.Create(true));
        Assert.Equal((3, "pw", true), await tuple.ValueAsync());
        Assert.True(await Output.IsSecretAsync(tuple));

        var all = Output.All(Output.Create("a"), OutputUtilities.CreateUnknown("b"));
        Assert.False(await all.KnownAsync());
        Assert.False(await Output.IsSecretAsync(all));

        var known = Output.All<string>("x", Output.Create("y"));
        Assert.Equal(new[] { "x", "y" }, (await known.ValueAsync()).ToArray());

        var unsecret = Output.Unsecret(secret);
        Assert.False(await Output.IsSecretAsync(unsecret));
        Assert.Equal("pw", await unsecret.ValueAsync());
    }

    [Fact]
    public void ToString_explains_instead_of_showing_the_value()
    {
        var text = Output.Create("hidden").ToString();
        Assert.DoesNotContain("hidden", text, StringComparison.Ordinal);
        Assert.Contains("Apply", text, StringComparison.Ordinal);
        Assert.Contains("Output.Format", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Input_collections_support_initialisers_and_conversions()
    {
        var list = new InputList<string> { "a", Output.Create("b") };
        list.Add(Output.CreateSecret("c"));
        var values = await ((Output<ImmutableArray<string>>)list).ValueAsync();
        Assert.Equal(new[] { "a", "b", "c" }, values.ToArray());
        Assert.True(await Output.IsSecretAsync((Output<ImmutableArray<string>>)list));

        InputList<string> fromArray = new[] { "x", "y" };
        Assert.Equal(2, (await ((Output<ImmutableArray<string>>)fromArray).ValueAsync()).Length);

        var map = new InputMap<string> { { "k", "v" }, { "o", Output.Create("w") } };
        map["k"] = "v2";
        var dict = await ((Output<ImmutableDictionary<string, string>>)map).ValueAsync();
        Assert.Equal("v2", dict["k"]);
        Assert.Equal("w", dict["o"]);

        var merged = InputMap<string>.Merge(map, new InputMap<string> { { "o", "z" } });
        Assert.Equal("z", (await ((Output<ImmutableDictionary<string, string>>)merged).ValueAsync())["o"]);

        Assert.Throws<NotSupportedException>(() => ((System.Collections.IEnumerable)list).GetEnumerator());
    }

    [Fact]
    public async Task Unions_and_extensions_work()
    {
        Union<string, int> u = 5;
        Assert.True(u.IsT1);
        Assert.Equal(5, u.AsT1);
        Assert.Throws<InvalidOperationException>(() => u.AsT0);
        Assert.Equal("int:5", u.Match(s => "s:" + s, i => "int:" + i));

        InputUnion<string, int> input = "text";
        var output = (Output<Union<string, int>>)input;
        Assert.True(await output.IsT0().ValueAsync());
        Assert.Equal("text", await output.AsT0().ValueAsync());

        var array = Output.Create(ImmutableArray.Create(4, 5, 6));
        Assert.Equal(4, await array.First().ValueAsync());
        Assert.Equal(6, await array.GetAt(2).ValueAsync());
        Assert.Equal(3, await array.Length().ValueAsync());
    }

    [Fact]
    public async Task Json_helpers_round_trip_and_keep_secrets()
    {
        var json = Output.JsonSerialize(Output.CreateSecret(new Dictionary<string, int> { ["a"] = 1 }));
        Assert.Equal("{\"a\":1}", await json.ValueAsync());
        Assert.True(await Output.IsSecretAsync(json));
        var back = Output.JsonDeserialize<Dictionary<string, int>>(json);
        Assert.Equal(1, (await back.ValueAsync())["a"]);
    }

    [Fact]
    public async Task DeferredOutput_resolves_once()
    {
        var deferred = new DeferredOutput<string>();
        deferred.Resolve(Output.Create("late"));
        Assert.Equal("late", await deferred.Output.ValueAsync());
        Assert.Throws<InvalidOperationException>(() => deferred.Resolve(Output.Create("again")));
    }
}
