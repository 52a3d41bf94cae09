using System.Collections.Immutable;

namespace Pulumi;

/// <summary>The resolved state of an output: its value, whether it is known or secret, and the resources it depends on.</summary>
internal sealed class OutputData<T>
{
    public OutputData(ImmutableHashSet<Resource> resources, T value, bool isKnown, bool isSecret)
    {
        Resources = resources;
        Value = value;
        IsKnown = isKnown;
        IsSecret = isSecret;
    }

    public ImmutableHashSet<Resource> Resources { get; }
    public T Value { get; }
    public bool IsKnown { get; }
    public bool IsSecret { get; }

    public OutputData<object?> Untyped() => new(Resources, Value, IsKnown, IsSecret);
}

internal static class OutputData
{
    public static OutputData<T> Create<T>(ImmutableHashSet<Resource> resources, T value, bool isKnown, bool isSecret)
        => new(resources, value, isKnown, isSecret);

    public static OutputData<T> Known<T>(T value) => new(ImmutableHashSet<Resource>.Empty, value, true, false);
}

/// <summary>Untyped view of an <see cref="Output{T}"/>.</summary>
internal interface IOutput
{
    Type ElementType { get; }
    Task<OutputData<object?>> GetDataAsync();
}

/// <summary>Untyped view of an <see cref="Input{T}"/>.</summary>
internal interface IInput
{
    IOutput ToUntypedOutput();
}

/// <summary>Untyped view of a <see cref="Union{T0, T1}"/>.</summary>
internal interface IUnion
{
    object Value { get; }
}
