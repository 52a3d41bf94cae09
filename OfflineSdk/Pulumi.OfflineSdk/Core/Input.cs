using System.Collections;
using System.Collections.Immutable;
using System.Text.Json;

namespace Pulumi;

/// <summary>A value that is either plain or an <see cref="Output{T}"/>; the type of resource arguments.</summary>
public class Input<T> : IInput
{
    private protected Output<T> _outputValue;

    private protected Input(Output<T> outputValue)
    {
        _outputValue = outputValue ?? throw new ArgumentNullException(nameof(outputValue));
    }

    public static implicit operator Input<T>(T value) => new(Output.Create(value));

    public static implicit operator Input<T>(Output<T> value) => new(value);

    public static implicit operator Output<T>(Input<T> input) => input._outputValue;

    internal Output<T> ToOutput() => _outputValue;

    IOutput IInput.ToUntypedOutput() => _outputValue;
}

/// <summary>Conversions and <c>Apply</c> on inputs.</summary>
public static class InputExtensions
{
    public static Output<T> ToOutput<T>(this Input<T>? input)
        => input is null ? Output.Create(default(T)!) : input.ToOutput();

    public static Output<TResult> Apply<T, TResult>(this Input<T>? input, Func<T, TResult> func)
        => ToOutput(input).Apply(func);

    public static Output<TResult> Apply<T, TResult>(this Input<T>? input, Func<T, Output<TResult>?> func)
        => ToOutput(input).Apply(func);

    public static Output<TResult> Apply<T, TResult>(this Input<T>? input, Func<T, Input<TResult>?> func)
        => ToOutput(input).Apply(func);

    public static Output<TResult> Apply<T, TResult>(this Input<T>? input, Func<T, Task<TResult>> func)
        => ToOutput(input).Apply(func);
}

/// <summary>A list input whose elements may each be plain values or outputs.</summary>
public sealed class InputList<T> : Input<ImmutableArray<T>>, IEnumerable, IAsyncEnumerable<Input<T>>
{
    public InputList() : this(Output.Create(ImmutableArray<T>.Empty))
    {
    }

    private InputList(Output<ImmutableArray<T>> values) : base(values)
    {
    }

    public void Add(params Input<T>[] inputs)
        => _outputValue = Concat(_outputValue, Output.All(inputs));

    public void Add(InputList<T> inputs) => AddRange(inputs);

    public void AddRange(InputList<T> inputs)
        => _outputValue = Concat(_outputValue, inputs._outputValue);

    public InputList<T> Concat(InputList<T> other)
        => new(Concat(_outputValue, other._outputValue));

    private static Output<ImmutableArray<T>> Concat(Output<ImmutableArray<T>> first, Output<ImmutableArray<T>> second)
        => Output.Tuple(first, second).Apply(t => t.Item1.IsDefault ? t.Item2 : t.Item2.IsDefault ? t.Item1 : t.Item1.AddRange(t.Item2));

    IEnumerator IEnumerable.GetEnumerator()
        => throw new NotSupportedException(
            $"{GetType().Name} holds values that may not be available yet, so it cannot be enumerated synchronously; use {nameof(GetAsyncEnumerator)}.");

    public async IAsyncEnumerator<Input<T>> GetAsyncEnumerator(CancellationToken cancellationToken)
    {
        var values = await _outputValue.GetValueAsync(ImmutableArray<T>.Empty).ConfigureAwait(false);
        foreach (var value in values.IsDefault ? ImmutableArray<T>.Empty : values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return value;
        }
    }

    public static implicit operator InputList<T>(T value) => ImmutableArray.Create(value);

    public static implicit operator InputList<T>(T[] values) => ImmutableArray.CreateRange(values);

    public static implicit operator InputList<T>(List<T> values) => ImmutableArray.CreateRange(values);

    public static implicit operator InputList<T>(ImmutableArray<T> values) => new(Output.Create(values));

    public static implicit operator InputList<T>(Input<T> value) => new Input<T>[] { value };

    public static implicit operator InputList<T>(Output<T> value) => new Input<T>[] { value };

    public static implicit operator InputList<T>(Input<T>[] values) => new(Output.All(values));

    public static implicit operator InputList<T>(Output<T>[] values) => new(Output.All(values));

    public static implicit operator InputList<T>(List<Input<T>> values) => new(Output.All(values));

    public static implicit operator InputList<T>(List<Output<T>> values) => new(Output.All(values));

    public static implicit operator InputList<T>(ImmutableArray<Input<T>> values) => new(Output.All(values.AsEnumerable()));

    public static implicit operator InputList<T>(ImmutableArray<Output<T>> values) => new(Output.All(values.AsEnumerable()));

    public static implicit operator InputList<T>(Output<T[]> values) => new(values.Apply(ImmutableArray.CreateRange));

    public static implicit operator InputList<T>(Output<List<T>> values) => new(values.Apply(ImmutableArray.CreateRange));

    public static implicit operator InputList<T>(Output<IEnumerable<T>> values) => new(values.Apply(ImmutableArray.CreateRange));

    public static implicit operator InputList<T>(Output<ImmutableArray<T>> values) => new(values);
}

/// <summary>Collection-initialiser helpers for lists of unions.</summary>
public static class InputListExtensions
{
    public static void Add<T0, T1>(this InputList<Union<T0, T1>> list, Input<T0> value)
        => list.Add(value.ToOutput().Apply(v => (Union<T0, T1>)v));

    public static void Add<T0, T1>(this InputList<Union<T0, T1>> list, Input<T1> value)
        => list.Add(value.ToOutput().Apply(v => (Union<T0, T1>)v));
}

/// <summary>A string-keyed map input whose values may be plain values or outputs.</summary>
public sealed class InputMap<TValue> : Input<ImmutableDictionary<string, TValue>>, IEnumerable, IAsyncEnumerable<Input<KeyValuePair<string, TValue>>>
{
    public InputMap() : this(Output.Create(ImmutableDictionary<string, TValue>.Empty))
    {
    }

    private InputMap(Output<ImmutableDictionary<string, TValue>> values) : base(values)
    {
    }

    public void Add(string key, Input<TValue> value)
        => _outputValue = Output.Tuple(_outputValue, value.ToOutput()).Apply(t => t.Item1.Add(key, t.Item2));

    public void Add(InputMap<TValue> values) => AddRange(values);

    public void AddRange(InputMap<TValue> values)
        => _outputValue = Output.Tuple(_outputValue, values._outputValue).Apply(t => t.Item1.AddRange(t.Item2));

    public Input<TValue> this[string key]
    {
        set => _outputValue = Output.Tuple(_outputValue, value.ToOutput()).Apply(t => t.Item1.SetItem(key, t.Item2));
    }

    /// <summary>Combines two maps; where both hold a key, the value of <paramref name="second"/> wins.</summary>
    public static InputMap<TValue> Merge(InputMap<TValue> first, InputMap<TValue> second)
        => new(Output.Tuple(first._outputValue, second._outputValue).Apply(t => t.Item1.SetItems(t.Item2)));

    IEnumerator IEnumerable.GetEnumerator()
        => throw new NotSupportedException(
            $"{GetType().Name} holds values that may not be available yet, so it cannot be enumerated synchronously; use {nameof(GetAsyncEnumerator)}.");

    public async IAsyncEnumerator<Input<KeyValuePair<string, TValue>>> GetAsyncEnumerator(CancellationToken cancellationToken)
    {
        var values = await _outputValue.GetValueAsync(ImmutableDictionary<string, TValue>.Empty).ConfigureAwait(false);
        foreach (var pair in values ?? ImmutableDictionary<string, TValue>.Empty)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return pair;
        }
    }

    public static implicit operator InputMap<TValue>(Dictionary<string, TValue> values)
        => new(Output.Create(values.ToImmutableDictionary()));

    public static implicit operator InputMap<TValue>(ImmutableDictionary<string, TValue> values)
        => new(Output.Create(values));

    public static implicit operator InputMap<TValue>(Output<Dictionary<string, TValue>> values)
        => new(values.Apply(v => v.ToImmutableDictionary()));

    public static implicit operator InputMap<TValue>(Output<IDictionary<string, TValue>> values)
        => new(values.Apply(v => v.ToImmutableDictionary()));

    public static implicit operator InputMap<TValue>(Output<ImmutableDictionary<string, TValue>> values)
        => new(values);
}

/// <summary>Collection-initialiser helpers for maps of unions.</summary>
public static class InputMapExtensions
{
    public static void Add<T0, T1>(this InputMap<Union<T0, T1>> map, string key, Input<T0> value)
        => map.Add(key, value.ToOutput().Apply(v => (Union<T0, T1>)v));

    public static void Add<T0, T1>(this InputMap<Union<T0, T1>> map, string key, Input<T1> value)
        => map.Add(key, value.ToOutput().Apply(v => (Union<T0, T1>)v));
}

/// <summary>An input that holds one of two types.</summary>
public sealed class InputUnion<T0, T1> : Input<Union<T0, T1>>
{
    public InputUnion() : this(Output.Create(default(Union<T0, T1>)))
    {
    }

    private InputUnion(Output<Union<T0, T1>> value) : base(value)
    {
    }

    public static implicit operator InputUnion<T0, T1>(T0 value) => Output.Create(value);

    public static implicit operator InputUnion<T0, T1>(T1 value) => Output.Create(value);

    public static implicit operator InputUnion<T0, T1>(Union<T0, T1> value) => Output.Create(value);

    public static implicit operator InputUnion<T0, T1>(Input<T0> value) => value.ToOutput();

    public static implicit operator InputUnion<T0, T1>(Input<T1> value) => value.ToOutput();

    public static implicit operator InputUnion<T0, T1>(Output<T0> value) => new(value.Apply(v => Union<T0, T1>.FromT0(v)));

    public static implicit operator InputUnion<T0, T1>(Output<T1> value) => new(value.Apply(v => Union<T0, T1>.FromT1(v)));

    public static implicit operator InputUnion<T0, T1>(Output<Union<T0, T1>> value) => new(value);
}

/// <summary>An input holding JSON.</summary>
public sealed class InputJson : Input<JsonElement>
{
    public InputJson() : this(Output.Create(default(JsonElement)))
    {
    }

    private InputJson(Output<JsonElement> value) : base(value)
    {
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static implicit operator InputJson(string json) => new(Output.Create(Parse(json)));

    public static implicit operator InputJson(JsonElement element) => new(Output.Create(element));

    public static implicit operator InputJson(JsonDocument document) => new(Output.Create(document.RootElement.Clone()));

    public static implicit operator InputJson(Output<string> json) => new(json.Apply(Parse));

    public static implicit operator InputJson(Output<JsonElement> element) => new(element);

    public static implicit operator InputJson(Output<JsonDocument> document) => new(document.Apply(d => d.RootElement.Clone()));
}
