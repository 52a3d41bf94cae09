using System.Reflection;
using Pulumi;
using Pulumi.Utilities;

namespace Psoxy.Infra.Planning;

/// <summary>
/// Pulumi's public questions about an output (known? secret? value?) for an <c>Output&lt;T&gt;</c> or <c>Input&lt;T&gt;</c>
/// whose T is only known at run time, as when walking resource args or stack outputs by reflection.
/// </summary>
internal static class UntypedOutput
{
    private static readonly MethodInfo ToOutputMethod = typeof(InputExtensions).GetMethod(nameof(InputExtensions.ToOutput))!;
    private static readonly MethodInfo IsSecretMethod = typeof(Output).GetMethod(nameof(Output.IsSecretAsync))!;
    private static readonly MethodInfo IsKnownMethod = typeof(OutputUtilities).GetMethod(nameof(OutputUtilities.GetIsKnownAsync))!;
    private static readonly MethodInfo GetValueMethod = typeof(OutputUtilities).GetMethod(nameof(OutputUtilities.GetValueAsync))!;
    private static readonly MethodInfo GetDependenciesMethod = typeof(OutputUtilities).GetMethod(nameof(OutputUtilities.GetDependenciesAsync))!;

    /// <summary>The T of an <c>Input&lt;T&gt;</c> (InputList and InputMap are Inputs of arrays and dictionaries) or <c>Output&lt;T&gt;</c>.</summary>
    public static Type? ValueType(Type type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && (current.GetGenericTypeDefinition() == typeof(Input<>) || current.GetGenericTypeDefinition() == typeof(Output<>)))
            {
                return current.GetGenericArguments()[0];
            }
        }

        return null;
    }

    /// <summary>The output behind <paramref name="inputOrOutput"/>, with its value type; null when it is neither.</summary>
    public static (object Output, Type ValueType)? Of(object inputOrOutput)
    {
        var type = inputOrOutput.GetType();
        if (ValueType(type) is not { } valueType)
        {
            return null;
        }

        var isOutput = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Output<>);
        return (isOutput ? inputOrOutput : ToOutputMethod.MakeGenericMethod(valueType).Invoke(null, [inputOrOutput])!, valueType);
    }

    /// <summary>
    /// The stack outputs a stack class declares: each <c>[Output]</c> property, by its output name, with its value
    /// type. The URN every resource has is not a stack output.
    /// </summary>
    public static IEnumerable<(string Name, object Output, Type ValueType)> StackOutputs(Stack stack)
    {
        foreach (var property in stack.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (property.GetCustomAttribute<OutputAttribute>()?.Name is { } name && name != "urn" && property.GetValue(stack) is { } output)
            {
                yield return (name, output, property.PropertyType.GetGenericArguments()[0]);
            }
        }
    }

    public static Task<bool> IsSecretAsync(object output, Type valueType) => CallAsync<bool>(IsSecretMethod, output, valueType);

    public static Task<bool> IsKnownAsync(object output, Type valueType) => CallAsync<bool>(IsKnownMethod, output, valueType);

    public static Task<object?> GetValueAsync(object output, Type valueType) => CallAsync<object?>(GetValueMethod, output, valueType);

    /// <summary>The resources whose outputs the value carries, as Pulumi tracks them.</summary>
    public static Task<System.Collections.Immutable.ImmutableHashSet<Resource>> GetDependenciesAsync(object output, Type valueType) =>
        CallAsync<System.Collections.Immutable.ImmutableHashSet<Resource>>(GetDependenciesMethod, output, valueType);

    private static async Task<T> CallAsync<T>(MethodInfo method, object output, Type valueType)
    {
        var task = (Task)method.MakeGenericMethod(valueType).Invoke(null, [output])!;
        await task.ConfigureAwait(false);
        return (T)task.GetType().GetProperty("Result")!.GetValue(task)!;
    }
}
