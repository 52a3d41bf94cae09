using System.Collections.Immutable;
using System.Reflection;

namespace Pulumi;

/// <summary>Base of argument classes: their <see cref="InputAttribute"/> members are the wire values.</summary>
public abstract class InputArgs
{
    protected InputArgs()
    {
    }

    /// <summary>The [Input] members of this object: wire name, current value and whether it goes as JSON text.</summary>
    internal virtual IEnumerable<(string Name, object? Value, bool Json)> GetInputs()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var type = GetType(); type != null && type != typeof(InputArgs); type = type.BaseType)
        {
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            foreach (var member in type.GetMembers(flags))
            {
                var attribute = member.GetCustomAttribute<InputAttribute>();
                if (attribute == null || !seen.Add(attribute.Name))
                {
                    continue;
                }

                var value = member switch
                {
                    FieldInfo f => f.GetValue(this),
                    PropertyInfo p when p.GetIndexParameters().Length == 0 => p.GetValue(this),
                    _ => null,
                };
                yield return (attribute.Name, value, attribute.Json);
            }
        }
    }
}

/// <summary>Base of the argument classes of resources.</summary>
public abstract class ResourceArgs : InputArgs
{
    public static readonly ResourceArgs Empty = new EmptyResourceArgs();

    protected ResourceArgs()
    {
    }

    private sealed class EmptyResourceArgs : ResourceArgs
    {
    }
}

/// <summary>Base of the argument classes of invokes.</summary>
public abstract class InvokeArgs : InputArgs
{
    public static readonly InvokeArgs Empty = new EmptyInvokeArgs();

    protected InvokeArgs()
    {
    }

    private sealed class EmptyInvokeArgs : InvokeArgs
    {
    }
}

/// <summary>Resource arguments given as a dictionary of wire names to values.</summary>
public sealed class DictionaryResourceArgs : ResourceArgs
{
    private readonly ImmutableDictionary<string, object?> _dictionary;

    public DictionaryResourceArgs(ImmutableDictionary<string, object?> dictionary)
    {
        _dictionary = dictionary;
    }

    internal override IEnumerable<(string Name, object? Value, bool Json)> GetInputs()
        => _dictionary.Select(kv => (kv.Key, kv.Value, false));
}

/// <summary>Invoke arguments given as a dictionary of wire names to values.</summary>
public sealed class DictionaryInvokeArgs : InvokeArgs
{
    private readonly ImmutableDictionary<string, object?> _dictionary;

    public DictionaryInvokeArgs(ImmutableDictionary<string, object?> dictionary)
    {
        _dictionary = dictionary;
    }

    internal override IEnumerable<(string Name, object? Value, bool Json)> GetInputs()
        => _dictionary.Select(kv => (kv.Key, kv.Value, false));
}
