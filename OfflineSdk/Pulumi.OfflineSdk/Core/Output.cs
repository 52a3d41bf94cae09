using System.Collections.Immutable;
using System.Text.Json;

namespace Pulumi;

/// <summary>
/// A value that becomes available asynchronously, may be unknown during a preview, may be secret,
/// and remembers the resources it was derived from.
/// </summary>
public sealed class Output<T> : IOutput
{
    internal Output(Task<OutputData<T>> dataTask)
    {
        DataTask = dataTask;
        Deployment.TrackTask(dataTask);
    }

    internal Task<OutputData<T>> DataTask { get; }

    Type IOutput.ElementType => typeof(T);

    async Task<OutputData<object?>> IOutput.GetDataAsync() => (await DataTask.ConfigureAwait(false)).Untyped();

    internal async Task<T> GetValueAsync(T whenUnknown)
    {
        var data = await DataTask.ConfigureAwait(false);
        return data.IsKnown ? data.Value : whenUnknown;
    }

    public static Output<T> Create(Task<T> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new Output<T>(FromTaskAsync(value, isSecret: false));
    }

    internal static async Task<OutputData<T>> FromTaskAsync(Task<T> value, bool isSecret)
        => OutputData.Create(ImmutableHashSet<Resource>.Empty, await value.ConfigureAwait(false), true, isSecret);

    internal static Output<T> CreateUnknown(T value)
        => new(Task.FromResult(OutputData.Create(ImmutableHashSet<Resource>.Empty, value, false, false)));

    internal Output<T> WithIsSecret(bool isSecret) => new(WithIsSecretAsync(DataTask, isSecret));

    private static async Task<OutputData<T>> WithIsSecretAsync(Task<OutputData<T>> task, bool isSecret)
    {
        var data = await task.ConfigureAwait(false);
        return OutputData.Create(data.Resources, data.Value, data.IsKnown, isSecret);
    }

    internal Output<T> WithResource(Resource resource) => new(WithResourceAsync(DataTask, resource));

    private static async Task<OutputData<T>> WithResourceAsync(Task<OutputData<T>> task, Resource resource)
    {
        var data = await task.ConfigureAwait(false);
        return OutputData.Create(data.Resources.Add(resource), data.Value, data.IsKnown, data.IsSecret);
    }

    public Output<TResult> Apply<TResult>(Func<T, TResult> func)
        => Apply(v => Output.Create(func(v)));

    public Output<TResult> Apply<TResult>(Func<T, Task<TResult>> func)
        => Apply(v => Output.Create(func(v)));

    public Output<TResult> Apply<TResult>(Func<T, Input<TResult>?> func)
        => Apply(v => InputExtensions.ToOutput(func(v)));

    public Output<TResult> Apply<TResult>(Func<T, Output<TResult>?> func)
        => new(ApplyHelperAsync(DataTask, func));

    public Output<ValueTuple> Apply(Func<T, Task> func)
        => Apply(async v =>
        {
            await func(v).ConfigureAwait(false);
            return default(ValueTuple);
        });

    public Output<TResult> UntypedApply<TResult>(Func<object?, Output<TResult>> func)
        => Apply(v => func(v));

    private static async Task<OutputData<TResult>> ApplyHelperAsync<TResult>(Task<OutputData<T>> dataTask, Func<T, Output<TResult>?> func)
    {
        var data = await dataTask.ConfigureAwait(false);

        // An unknown value never reaches the callback: the result is unknown as well.
        if (!data.IsKnown)
        {
            return OutputData.Create(data.Resources, default(TResult)!, false, data.IsSecret);
        }

        var inner = func(data.Value);
        if (inner is null)
        {
            return OutputData.Create(data.Resources, default(TResult)!, true, data.IsSecret);
        }

        var innerData = await inner.DataTask.ConfigureAwait(false);
        return OutputData.Create(
            data.Resources.Union(innerData.Resources),
            innerData.Value,
            innerData.IsKnown,
            data.IsSecret || innerData.IsSecret);
    }

    /// <summary>
    /// An output has no value that can be turned into text synchronously, so this returns an
    /// explanation rather than the value.
    /// </summary>
    public override string ToString()
        => "An Output<T> was converted to a string with ToString(), which cannot show its value: the value "
         + "may not be available yet, or ever during a preview.\n"
         + "Build strings from outputs with Apply instead, for example:\n"
         + "  1. output.Apply(v => $\"prefix{v}suffix\")\n"
         + "  2. Output.Format($\"prefix{output}suffix\")\n"
         + "See https://www.pulumi.com/docs/concepts/inputs-outputs for details. "
         + "Calling ToString on an Output<T> may become an error in a later version.";
}

/// <summary>Factory and combinator methods for <see cref="Output{T}"/>.</summary>
public static class Output
{
    public static Output<T> Create<T>(T value)
        => new(Task.FromResult(OutputData.Known(value)));

    public static Output<T> Create<T>(Task<T> value)
        => Output<T>.Create(value);

    public static Output<T> CreateSecret<T>(T value)
        => new(Task.FromResult(OutputData.Create(ImmutableHashSet<Resource>.Empty, value, true, true)));

    public static Output<T> CreateSecret<T>(Task<T> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new Output<T>(Output<T>.FromTaskAsync(value, isSecret: true));
    }

    public static Output<T> CreateSecret<T>(Output<T> value)
        => value.WithIsSecret(true);

    public static Output<T> Unsecret<T>(Output<T> output)
        => output.WithIsSecret(false);

    public static async Task<bool> IsSecretAsync<T>(Output<T> output)
        => (await output.DataTask.ConfigureAwait(false)).IsSecret;

    public static Output<ImmutableArray<T>> All<T>(params Input<T>[] inputs)
        => AllImpl(inputs.Select(i => i.ToOutput()));

    public static Output<ImmutableArray<T>> All<T>(params Output<T>[] outputs)
        => AllImpl(outputs);

    public static Output<ImmutableArray<T>> All<T>(IEnumerable<Input<T>> inputs)
        => AllImpl(inputs.Select(i => i.ToOutput()));

    public static Output<ImmutableArray<T>> All<T>(IEnumerable<Output<T>> outputs)
        => AllImpl(outputs);

    private static Output<ImmutableArray<T>> AllImpl<T>(IEnumerable<Output<T>> outputs)
        => new(AllHelperAsync(outputs.ToList()));

    private static async Task<OutputData<ImmutableArray<T>>> AllHelperAsync<T>(List<Output<T>> outputs)
    {
        var resources = ImmutableHashSet<Resource>.Empty;
        var values = ImmutableArray.CreateBuilder<T>(outputs.Count);
        var isKnown = true;
        var isSecret = false;
        foreach (var output in outputs)
        {
            var data = await output.DataTask.ConfigureAwait(false);
            values.Add(data.Value);
            resources = resources.Union(data.Resources);
            isKnown &= data.IsKnown;
            isSecret |= data.IsSecret;
        }

        return OutputData.Create(resources, isKnown ? values.MoveToImmutable() : default, isKnown, isSecret);
    }

    internal static async Task<(object?[] Values, ImmutableHashSet<Resource> Resources, bool IsKnown, bool IsSecret)> CombineAsync(params IOutput[] outputs)
    {
        var resources = ImmutableHashSet<Resource>.Empty;
        var values = new object?[outputs.Length];
        var isKnown = true;
        var isSecret = false;
        for (var i = 0; i < outputs.Length; i++)
        {
            var data = await outputs[i].GetDataAsync().ConfigureAwait(false);
            values[i] = data.Value;
            resources = resources.Union(data.Resources);
            isKnown &= data.IsKnown;
            isSecret |= data.IsSecret;
        }

        return (values, resources, isKnown, isSecret);
    }

    private static Output<TTuple> TupleImpl<TTuple>(Func<object?[], TTuple> build, params IOutput[] outputs)
        => new(TupleHelperAsync(build, outputs));

    private static async Task<OutputData<TTuple>> TupleHelperAsync<TTuple>(Func<object?[], TTuple> build, IOutput[] outputs)
    {
        var (values, resources, isKnown, isSecret) = await CombineAsync(outputs).ConfigureAwait(false);
        return OutputData.Create(resources, isKnown ? build(values) : default!, isKnown, isSecret);
    }

    private static TItem Item<TItem>(object? value) => value is null ? default! : (TItem)value;

    public static Output<(T1, T2)> Tuple<T1, T2>(Output<T1> item1, Output<T2> item2)
        => TupleImpl(v => (Item<T1>(v[0]), Item<T2>(v[1])), item1, item2);

    public static Output<(T1, T2)> Tuple<T1, T2>(Input<T1> item1, Input<T2> item2)
        => Tuple(item1.ToOutput(), item2.ToOutput());

    public static Output<(T1, T2, T3)> Tuple<T1, T2, T3>(Output<T1> item1, Output<T2> item2, Output<T3> item3)
        => TupleImpl(v => (Item<T1>(v[0]), Item<T2>(v[1]), Item<T3>(v[2])), item1, item2, item3);

    public static Output<(T1, T2, T3)> Tuple<T1, T2, T3>(Input<T1> item1, Input<T2> item2, Input<T3> item3)
        => Tuple(item1.ToOutput(), item2.ToOutput(), item3.ToOutput());

    public static Output<(T1, T2, T3, T4)> Tuple<T1, T2, T3, T4>(Output<T1> item1, Output<T2> item2, Output<T3> item3, Output<T4> item4)
        => TupleImpl(v => (Item<T1>(v[0]), Item<T2>(v[1]), Item<T3>(v[2]), Item<T4>(v[3])), item1, item2, item3, item4);

    public static Output<(T1, T2, T3, T4)> Tuple<T1, T2, T3, T4>(Input<T1> item1, Input<T2> item2, Input<T3> item3, Input<T4> item4)
        => Tuple(item1.ToOutput(), item2.ToOutput(), item3.ToOutput(), item4.ToOutput());

    public static Output<(T1, T2, T3, T4, T5)> Tuple<T1, T2, T3, T4, T5>(Output<T1> item1, Output<T2> item2, Output<T3> item3, Output<T4> item4, Output<T5> item5)
        => TupleImpl(v => (Item<T1>(v[0]), Item<T2>(v[1]), Item<T3>(v[2]), Item<T4>(v[3]), Item<T5>(v[4])), item1, item2, item3, item4, item5);

    public static Output<(T1, T2, T3, T4, T5)> Tuple<T1, T2, T3, T4, T5>(Input<T1> item1, Input<T2> item2, Input<T3> item3, Input<T4> item4, Input<T5> item5)
        => Tuple(item1.ToOutput(), item2.ToOutput(), item3.ToOutput(), item4.ToOutput(), item5.ToOutput());

    public static Output<(T1, T2, T3, T4, T5, T6)> Tuple<T1, T2, T3, T4, T5, T6>(Output<T1> item1, Output<T2> item2, Output<T3> item3, Output<T4> item4, Output<T5> item5, Output<T6> item6)
        => TupleImpl(v => (Item<T1>(v[0]), Item<T2>(v[1]), Item<T3>(v[2]), Item<T4>(v[3]), Item<T5>(v[4]), Item<T6>(v[5])), item1, item2, item3, item4, item5, item6);

    public static Output<(T1, T2, T3, T4, T5, T6)> Tuple<T1, T2, T3, T4, T5, T6>(Input<T1> item1, Input<T2> item2, Input<T3> item3, Input<T4> item4, Input<T5> item5, Input<T6> item6)
        => Tuple(item1.ToOutput(), item2.ToOutput(), item3.ToOutput(), item4.ToOutput(), item5.ToOutput(), item6.ToOutput());

    public static Output<(T1, T2, T3, T4, T5, T6, T7)> Tuple<T1, T2, T3, T4, T5, T6, T7>(Output<T1> item1, Output<T2> item2, Output<T3> item3, Output<T4> item4, Output<T5> item5, Output<T6> item6, Output<T7> item7)
        => TupleImpl(v => (Item<T1>(v[0]), Item<T2>(v[1]), Item<T3>(v[2]), Item<T4>(v[3]), Item<T5>(v[4]), Item<T6>(v[5]), Item<T7>(v[6])), item1, item2, item3, item4, item5, item6, item7);

    public static Output<(T1, T2, T3, T4, T5, T6, T7)> Tuple<T1, T2, T3, T4, T5, T6, T7>(Input<T1> item1, Input<T2> item2, Input<T3> item3, Input<T4> item4, Input<T5> item5, Input<T6> item6, Input<T7> item7)
        => Tuple(item1.ToOutput(), item2.ToOutput(), item3.ToOutput(), item4.ToOutput(), item5.ToOutput(), item6.ToOutput(), item7.ToOutput());

    public static Output<(T1, T2, T3, T4, T5, T6, T7, T8)> Tuple<T1, T2, T3, T4, T5, T6, T7, T8>(Output<T1> item1, Output<T2> item2, Output<T3> item3, Output<T4> item4, Output<T5> item5, Output<T6> item6, Output<T7> item7, Output<T8> item8)
        => TupleImpl(v => (Item<T1>(v[0]), Item<T2>(v[1]), Item<T3>(v[2]), Item<T4>(v[3]), Item<T5>(v[4]), Item<T6>(v[5]), Item<T7>(v[6]), Item<T8>(v[7])), item1, item2, item3, item4, item5, item6, item7, item8);

    public static Output<(T1, T2, T3, T4, T5, T6, T7, T8)> Tuple<T1, T2, T3, T4, T5, T6, T7, T8>(Input<T1> item1, Input<T2> item2, Input<T3> item3, Input<T4> item4, Input<T5> item5, Input<T6> item6, Input<T7> item7, Input<T8> item8)
        => Tuple(item1.ToOutput(), item2.ToOutput(), item3.ToOutput(), item4.ToOutput(), item5.ToOutput(), item6.ToOutput(), item7.ToOutput(), item8.ToOutput());

    /// <summary>
    /// Formats an interpolated string whose holes may be inputs or outputs. The result is
    /// unknown if any hole is unknown and secret if any hole is secret.
    /// </summary>
    public static Output<string> Format(FormattableString formattableString)
    {
        var arguments = formattableString.GetArguments();
        var outputs = new IOutput[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            outputs[i] = arguments[i] switch
            {
                IOutput o => o,
                IInput input => input.ToUntypedOutput(),
                var other => Create(other),
            };
        }

        var format = formattableString.Format;
        return TupleImpl(values => string.Format(System.Globalization.CultureInfo.CurrentCulture, format, values), outputs);
    }

    public static Output<string> JsonSerialize<T>(Output<T> value, JsonSerializerOptions? options = null)
        => value.Apply(v => JsonSerializer.Serialize(v, options));

    public static Output<T> JsonDeserialize<T>(Output<string> json, JsonSerializerOptions? options = null)
        => json.Apply(text => JsonSerializer.Deserialize<T>(text, options)!);
}

/// <summary>Helpers on outputs of arrays and unions.</summary>
public static class OutputExtensions
{
    public static Output<T> First<T>(this Output<ImmutableArray<T>> array)
        => array.Apply(a => a.First());

    public static Output<T> GetAt<T>(this Output<ImmutableArray<T>> array, Input<int> index)
        => Output.Tuple(array, index.ToOutput()).Apply(t => t.Item1[t.Item2]);

    public static Output<int> Length<T>(this Output<ImmutableArray<T>> array)
        => array.Apply(a => a.Length);

    public static Output<T0> AsT0<T0, T1>(this Output<Union<T0, T1>> output) => output.Apply(u => u.AsT0);

    public static Output<T1> AsT1<T0, T1>(this Output<Union<T0, T1>> output) => output.Apply(u => u.AsT1);

    public static Output<bool> IsT0<T0, T1>(this Output<Union<T0, T1>> output) => output.Apply(u => u.IsT0);

    public static Output<bool> IsT1<T0, T1>(this Output<Union<T0, T1>> output) => output.Apply(u => u.IsT1);

    public static Output<object> Value<T0, T1>(this Output<Union<T0, T1>> output) => output.Apply(u => u.Value);
}

/// <summary>An output whose value is supplied later with <see cref="Resolve"/>.</summary>
public sealed class DeferredOutput<T>
{
    private readonly TaskCompletionSource<OutputData<T>> _source = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _resolved;

    public DeferredOutput()
    {
        Output = new Output<T>(_source.Task);
    }

    public Output<T> Output { get; }

    public void Resolve(Output<T> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Interlocked.Exchange(ref _resolved, 1) != 0)
        {
            throw new InvalidOperationException("This DeferredOutput has already been resolved.");
        }

        _ = ForwardAsync(output);
    }

    private async Task ForwardAsync(Output<T> output)
    {
        try
        {
            _source.TrySetResult(await output.DataTask.ConfigureAwait(false));
        }
        catch (Exception e)
        {
            _source.TrySetException(e);
        }
    }
}
