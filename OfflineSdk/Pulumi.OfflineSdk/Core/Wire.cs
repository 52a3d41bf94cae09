using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;

namespace Pulumi;

/// <summary>A value that is not known yet (during a preview).</summary>
internal sealed class WireUnknown
{
    public static readonly WireUnknown Instance = new();

    private WireUnknown()
    {
    }
}

/// <summary>A secret value on the wire.</summary>
internal sealed class WireSecret
{
    public WireSecret(object? value) => Value = value;

    public object? Value { get; }
}

/// <summary>A reference to a resource on the wire.</summary>
internal sealed class WireResource
{
    public WireResource(Resource resource, object? urn, object? id)
    {
        Resource = resource;
        Urn = urn;
        Id = id;
    }

    public Resource Resource { get; }

    public object? Urn { get; }

    public object? Id { get; }
}

/// <summary>
/// Turns argument objects into wire values the way the official serializer does: only nulls,
/// bools, ints, doubles, strings, assets/archives, resources, JSON, input args, inputs/outputs,
/// unions, lists, string-keyed dictionaries, enums and output types are accepted.
/// </summary>
internal sealed class WireSerializer
{
    public HashSet<Resource> DependentResources { get; } = new();

    public async Task<ImmutableDictionary<string, object?>> SerializeArgsAsync(string ctx, InputArgs args, bool keepResources)
    {
        var result = ImmutableDictionary.CreateBuilder<string, object?>();
        foreach (var (name, value, json) in args.GetInputs())
        {
            var serialized = await SerializeAsync($"{ctx}.{name}", value, keepResources).ConfigureAwait(false);
            if (json && serialized != null)
            {
                serialized = ToJsonText(serialized);
            }

            if (serialized != null)
            {
                result[name] = serialized;
            }
        }

        return result.ToImmutable();
    }

    public async Task<object?> SerializeAsync(string ctx, object? prop, bool keepResources)
    {
        switch (prop)
        {
            case null or bool or int or double or string:
                return prop;
            case InputArgs args:
                return await SerializeArgsAsync(ctx, args, keepResources).ConfigureAwait(false);
            case AssetOrArchive assetOrArchive:
                return assetOrArchive;
            case Task:
                throw new InvalidOperationException($"Tasks are not allowed inside ResourceArgs; wrap the Task in an Output instead:\n\t{ctx}");
            case IInput input:
                return await SerializeAsync(ctx, input.ToUntypedOutput(), keepResources).ConfigureAwait(false);
            case IUnion union:
                return await SerializeAsync(ctx, union.Value, keepResources).ConfigureAwait(false);
            case JsonElement element:
                return SerializeJson(element);
            case IOutput output:
                {
                    var data = await output.GetDataAsync().ConfigureAwait(false);
                    DependentResources.UnionWith(data.Resources);
                    if (!data.IsKnown)
                    {
                        return WireUnknown.Instance;
                    }

                    var inner = new WireSerializer();
                    var value = await inner.SerializeAsync(ctx, data.Value, keepResources).ConfigureAwait(false);
                    DependentResources.UnionWith(inner.DependentResources);
                    return data.IsSecret ? new WireSecret(value) : value;
                }

            case CustomResource custom:
                {
                    DependentResources.Add(custom);
                    var id = await SerializeAsync($"{ctx}.id", custom.Id, keepResources).ConfigureAwait(false);
                    if (!keepResources)
                    {
                        return id;
                    }

                    var urn = await SerializeAsync($"{ctx}.urn", custom.Urn, keepResources).ConfigureAwait(false);
                    return new WireResource(custom, urn, id is WireUnknown ? "" : id);
                }

            case ComponentResource component:
                {
                    var urn = await SerializeAsync($"{ctx}.urn", component.Urn, keepResources).ConfigureAwait(false);
                    return keepResources ? new WireResource(component, urn, null) : urn;
                }

            case IDictionary dictionary:
                {
                    var result = ImmutableDictionary.CreateBuilder<string, object?>();
                    foreach (var key in dictionary.Keys)
                    {
                        if (key is not string stringKey)
                        {
                            throw new InvalidOperationException($"Dictionaries are only supported with string keys:\n\t{ctx}");
                        }

                        var value = await SerializeAsync($"{ctx}.{stringKey}", dictionary[stringKey], keepResources).ConfigureAwait(false);
                        if (value != null)
                        {
                            result[stringKey] = value;
                        }
                    }

                    return result.ToImmutable();
                }

            case IList list:
                {
                    if (IsDefaultImmutableArray(list))
                    {
                        return ImmutableArray<object?>.Empty;
                    }

                    var result = ImmutableArray.CreateBuilder<object?>(list.Count);
                    for (var i = 0; i < list.Count; i++)
                    {
                        result.Add(await SerializeAsync($"{ctx}[{i}]", list[i], keepResources).ConfigureAwait(false));
                    }

                    return result.MoveToImmutable();
                }

            case Enum e when e.GetTypeCode() == TypeCode.Int32:
                return Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture);
            case ValueTuple:
                return null;
        }

        var type = prop.GetType();
        if (type.IsValueType && type.GetCustomAttribute<EnumTypeAttribute>() != null)
        {
            var conversion = type.GetMethod("op_Explicit", BindingFlags.Public | BindingFlags.Static, null, new[] { type }, null);
            if (conversion == null || (conversion.ReturnType != typeof(string) && conversion.ReturnType != typeof(double)))
            {
                throw new InvalidOperationException($"Expected {type.FullName} to have an explicit conversion operator to String or Double.\n\t{ctx}");
            }

            return conversion.Invoke(null, new[] { prop });
        }

        if (type.GetCustomAttribute<OutputTypeAttribute>() != null)
        {
            var result = ImmutableDictionary.CreateBuilder<string, object?>();
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            {
                if (!field.IsInitOnly)
                {
                    continue;
                }

                var name = field.Name.Length > 0 ? char.ToLowerInvariant(field.Name[0]) + field.Name[1..] : field.Name;
                result[name] = await SerializeAsync($"{ctx}.{name}", field.GetValue(prop), keepResources).ConfigureAwait(false);
            }

            return result.ToImmutable();
        }

        throw new InvalidOperationException($"{type.FullName} is not a supported argument type.\n\t{ctx}");
    }

    private static bool IsDefaultImmutableArray(IList list)
    {
        var type = list.GetType();
        return type.IsGenericType
            && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>)
            && (bool)type.GetProperty(nameof(ImmutableArray<int>.IsDefault))!.GetValue(list)!;
    }

    private static object? SerializeJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => null,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True or JsonValueKind.False => element.GetBoolean(),
        JsonValueKind.Array => element.EnumerateArray().Select(SerializeJson).ToImmutableArray(),
        JsonValueKind.Object => element.EnumerateObject().ToImmutableDictionary(p => p.Name, p => SerializeJson(p.Value)),
        _ => throw new InvalidOperationException($"Unknown JSON value kind {element.ValueKind}"),
    };

    /// <summary>Encodes a serialized value as JSON text (for inputs marked <c>json: true</c>).</summary>
    private static object ToJsonText(object value)
    {
        if (ContainsUnknowns(value))
        {
            return WireUnknown.Instance;
        }

        var isSecret = false;
        var plain = Unwrap(value, ref isSecret);
        var text = JsonSerializer.Serialize(plain);
        return isSecret ? new WireSecret(text) : text;
    }

    private static object? Unwrap(object? value, ref bool isSecret)
    {
        switch (value)
        {
            case WireSecret secret:
                isSecret = true;
                return Unwrap(secret.Value, ref isSecret);
            case ImmutableArray<object?> array:
                {
                    var result = new List<object?>();
                    foreach (var item in array)
                    {
                        result.Add(Unwrap(item, ref isSecret));
                    }

                    return result;
                }

            case ImmutableDictionary<string, object?> dictionary:
                {
                    var result = new SortedDictionary<string, object?>(StringComparer.Ordinal);
                    foreach (var (key, item) in dictionary)
                    {
                        result[key] = Unwrap(item, ref isSecret);
                    }

                    return result;
                }

            case WireResource resource:
                return Unwrap(resource.Id ?? resource.Urn, ref isSecret);
            default:
                return value;
        }
    }

    public static bool ContainsUnknowns(object? value) => value switch
    {
        WireUnknown => true,
        string s => s == WireConstants.UnknownValue,
        WireSecret secret => ContainsUnknowns(secret.Value),
        WireResource resource => ContainsUnknowns(resource.Urn),
        ImmutableArray<object?> array => array.Any(ContainsUnknowns),
        ImmutableDictionary<string, object?> dictionary => dictionary.Values.Any(ContainsUnknowns),
        _ => false,
    };

    /// <summary>
    /// Reads a wire value back the way the mock monitor's deserializer does: numbers become
    /// doubles, secrets are unwrapped (and reported), unknowns are reported.
    /// </summary>
    public static (object? Value, bool IsKnown, bool IsSecret) Deserialize(object? value)
    {
        switch (value)
        {
            case null:
                return (null, true, false);
            case int i:
                return ((double)i, true, false);
            case string s when s == WireConstants.UnknownValue:
            case WireUnknown:
                return (null, false, false);
            case WireSecret secret:
                {
                    var (inner, known, _) = Deserialize(secret.Value);
                    return (inner, known, true);
                }

            case WireResource resource:
                return (resource.Resource, true, false);
            case ImmutableArray<object?> array:
                {
                    var builder = ImmutableArray.CreateBuilder<object?>(array.Length);
                    var known = true;
                    var secret = false;
                    foreach (var item in array)
                    {
                        var (v, k, s) = Deserialize(item);
                        builder.Add(v);
                        known &= k;
                        secret |= s;
                    }

                    return (builder.MoveToImmutable(), known, secret);
                }

            case ImmutableDictionary<string, object?> dictionary:
                {
                    var builder = ImmutableDictionary.CreateBuilder<string, object?>();
                    var known = true;
                    var secret = false;
                    foreach (var (key, item) in dictionary)
                    {
                        var (v, k, s) = Deserialize(item);
                        builder[key] = v;
                        known &= k;
                        secret |= s;
                    }

                    return (builder.ToImmutable(), known, secret);
                }

            default:
                return (value, true, false);
        }
    }

    /// <summary>The dictionary a mock receives: known, non-null values only, secrets unwrapped.</summary>
    public static ImmutableDictionary<string, object> ToMockDictionary(ImmutableDictionary<string, object?> serialized)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, object>();
        foreach (var (key, value) in serialized)
        {
            var (data, known, _) = Deserialize(value);
            if (known && data != null)
            {
                builder[key] = data;
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>Serializes the state or result object a mock returned.</summary>
    public static async Task<ImmutableDictionary<string, object?>> SerializeMockResultAsync(object? result)
    {
        if (result is IDictionary<string, object> d)
        {
            result = d.ToImmutableDictionary();
        }

        var serialized = await new WireSerializer().SerializeAsync("", result, keepResources: true).ConfigureAwait(false);
        return serialized as ImmutableDictionary<string, object?>
            ?? throw new InvalidOperationException($"{result?.GetType().FullName ?? "null"} is not a supported argument type");
    }
}

/// <summary>Converts deserialized wire values into the CLR types of outputs, following the official conversion rules.</summary>
internal static class WireConverter
{
    public static OutputData<object?> Convert(Action<string> warn, string context, object? wireValue, Type targetType)
    {
        var (value, isKnown, isSecret) = WireSerializer.Deserialize(wireValue);
        var converted = ConvertObject(warn, context, value, targetType);
        return OutputData.Create(ImmutableHashSet<Resource>.Empty, converted, isKnown, isSecret);
    }

    private static object? ConvertObject(Action<string> warn, string context, object? value, Type targetType)
    {
        var (result, error) = TryConvert(warn, context, value, targetType);
        if (error != null)
        {
            warn(error);
        }

        return result;
    }

    private static (object?, string?) Ensure<T>(string context, object value)
        => value is T t ? (t, null) : (default(T), $"Expected {typeof(T).FullName} but got {value.GetType().FullName} deserializing {context}");

    private static (object?, string?) TryConvert(Action<string> warn, string context, object? value, Type targetType)
    {
        var isNullable = targetType.IsGenericType && targetType.GetGenericTypeDefinition() == typeof(Nullable<>);
        if (value == null)
        {
            return isNullable || !targetType.IsValueType ? (null, null) : (Activator.CreateInstance(targetType), null);
        }

        if (isNullable)
        {
            return TryConvert(warn, context, value, targetType.GenericTypeArguments[0]);
        }

        if (targetType == typeof(string))
        {
            return Ensure<string>(context, value);
        }

        if (targetType == typeof(bool))
        {
            return Ensure<bool>(context, value);
        }

        if (targetType == typeof(double))
        {
            return Ensure<double>(context, value);
        }

        if (targetType == typeof(int))
        {
            var (d, error) = Ensure<double>(context, value);
            return error != null ? (null, error) : ((int)(double)d!, null);
        }

        if (targetType == typeof(object))
        {
            return (value, null);
        }

        if (targetType == typeof(Asset) || targetType == typeof(Archive) || targetType == typeof(AssetOrArchive))
        {
            return targetType.IsInstanceOfType(value) ? (value, null) : (null, null);
        }

        if (targetType == typeof(JsonElement))
        {
            return TryConvertJson(context, value);
        }

        if (typeof(Resource).IsAssignableFrom(targetType))
        {
            return Ensure<Resource>(context, value);
        }

        if (targetType.IsEnum)
        {
            var (underlying, error) = TryConvert(warn, context, value, targetType.GetEnumUnderlyingType());
            return error != null || underlying == null ? (null, error) : (Enum.ToObject(targetType, underlying), null);
        }

        if (targetType.IsValueType && targetType.GetCustomAttribute<EnumTypeAttribute>() != null)
        {
            var valueType = value.GetType();
            if (valueType != typeof(string) && valueType != typeof(double))
            {
                return (null, $"Expected {typeof(string).FullName} or {typeof(double).FullName} but got {valueType.FullName} deserializing {context}");
            }

            var ctor = targetType.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, null, new[] { valueType }, null);
            return ctor == null
                ? (null, $"Expected target type {targetType.FullName} to have a constructor with a single {valueType.FullName} parameter.")
                : (ctor.Invoke(new[] { value }), null);
        }

        if (targetType.IsConstructedGenericType)
        {
            var definition = targetType.GetGenericTypeDefinition();
            if (definition == typeof(Union<,>))
            {
                return TryConvertUnion(warn, context, value, targetType);
            }

            if (definition == typeof(ImmutableArray<>))
            {
                return TryConvertArray(warn, context, value, targetType);
            }

            if (definition == typeof(ImmutableDictionary<,>))
            {
                return TryConvertDictionary(warn, context, value, targetType);
            }

            if (definition == typeof(Output<>))
            {
                var elementType = targetType.GenericTypeArguments[0];
                var (element, error) = TryConvert(warn, context, value, elementType);
                if (error != null)
                {
                    return (element, error);
                }

                var create = typeof(Output).GetMethods(BindingFlags.Public | BindingFlags.Static)
                    .Single(m => m.Name == nameof(Output.Create) && m.GetParameters()[0].ParameterType.IsGenericParameter)
                    .MakeGenericMethod(elementType);
                return (create.Invoke(null, new[] { element }), null);
            }

            throw new InvalidOperationException($"Unexpected generic target type {targetType.FullName} when deserializing {context}");
        }

        if (targetType.GetCustomAttribute<OutputTypeAttribute>() == null)
        {
            return (null, $"Unexpected target type {targetType.FullName} when deserializing {context}");
        }

        var constructor = targetType.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .FirstOrDefault(c => c.GetCustomAttribute<OutputConstructorAttribute>() != null);
        if (constructor == null)
        {
            return (null, $"Expected target type {targetType.FullName} to have [{nameof(OutputConstructorAttribute)}] constructor when deserializing {context}");
        }

        if (value is not ImmutableDictionary<string, object?> dictionary)
        {
            return (null, $"Expected {typeof(ImmutableDictionary<string, object>).FullName} but got {value.GetType().FullName} deserializing {context}");
        }

        var parameters = constructor.GetParameters();
        var arguments = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            var wireName = parameter.GetCustomAttribute<OutputConstructorParameterAttribute>()?.Name ?? parameter.Name!;
            dictionary.TryGetValue(wireName, out var argument);
            arguments[i] = ConvertObject(warn, $"{targetType.FullName}({parameter.Name})", argument, parameter.ParameterType);
        }

        return (constructor.Invoke(arguments), null);
    }

    private static (object?, string?) TryConvertUnion(Action<string> warn, string context, object value, Type unionType)
    {
        var first = unionType.GenericTypeArguments[0];
        var second = unionType.GenericTypeArguments[1];
        var (value0, error0) = TryConvert(warn, $"{context}.AsT0", value, first);
        if (error0 == null)
        {
            return (unionType.GetMethod("FromT0", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, new[] { value0 }), null);
        }

        var (value1, error1) = TryConvert(warn, $"{context}.AsT1", value, second);
        if (error1 == null)
        {
            return (unionType.GetMethod("FromT1", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, new[] { value1 }), null);
        }

        return (null, $"Expected {first.FullName} or {second.FullName} but got {value.GetType().FullName} deserializing {context}");
    }

    private static (object?, string?) TryConvertArray(Action<string> warn, string context, object value, Type targetType)
    {
        if (value is not ImmutableArray<object?> array)
        {
            return (null, $"Expected {typeof(ImmutableArray<object>).FullName} but got {value.GetType().FullName} deserializing {context}");
        }

        var elementType = targetType.GenericTypeArguments[0];
        var typed = Array.CreateInstance(elementType, array.Length);
        for (var i = 0; i < array.Length; i++)
        {
            typed.SetValue(ConvertObject(warn, context, array[i], elementType), i);
        }

        var createRange = typeof(ImmutableArray).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == nameof(ImmutableArray.Create) && m.GetParameters().Length == 1 && m.GetParameters()[0].ParameterType.IsArray)
            .MakeGenericMethod(elementType);
        return (createRange.Invoke(null, new object[] { typed }), null);
    }

    private static (object?, string?) TryConvertDictionary(Action<string> warn, string context, object value, Type targetType)
    {
        if (value is not ImmutableDictionary<string, object?> dictionary)
        {
            return (null, $"Expected {typeof(ImmutableDictionary<string, object>).FullName} but got {value.GetType().FullName} deserializing {context}");
        }

        if (targetType == typeof(ImmutableDictionary<string, object>))
        {
            return (value, null);
        }

        var keyType = targetType.GenericTypeArguments[0];
        if (keyType != typeof(string))
        {
            return (null, $"Unexpected type {targetType.FullName} when deserializing {context}. ImmutableDictionary's TKey type was not {typeof(string).FullName}");
        }

        var valueType = targetType.GenericTypeArguments[1];
        var builder = typeof(ImmutableDictionary).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == nameof(ImmutableDictionary.CreateBuilder) && m.GetParameters().Length == 0)
            .MakeGenericMethod(typeof(string), valueType)
            .Invoke(null, null)!;
        var add = builder.GetType().GetMethod("Add", new[] { typeof(string), valueType })!;
        foreach (var (key, element) in dictionary)
        {
            add.Invoke(builder, new[] { key, ConvertObject(warn, context, element, valueType) });
        }

        return (builder.GetType().GetMethod("ToImmutable")!.Invoke(builder, null), null);
    }

    private static (object?, string?) TryConvertJson(string context, object value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            var error = TryWriteJson(context, writer, value);
            if (error != null)
            {
                return (null, error);
            }
        }

        stream.Position = 0;
        using var document = JsonDocument.Parse(stream);
        return (document.RootElement.Clone(), null);
    }

    private static string? TryWriteJson(string context, Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case string s:
                writer.WriteStringValue(s);
                return null;
            case double d:
                writer.WriteNumberValue(d);
                return null;
            case bool b:
                writer.WriteBooleanValue(b);
                return null;
            case null:
                writer.WriteNullValue();
                return null;
            case ImmutableArray<object?> array:
                writer.WriteStartArray();
                foreach (var element in array)
                {
                    var error = TryWriteJson(context, writer, element);
                    if (error != null)
                    {
                        return error;
                    }
                }

                writer.WriteEndArray();
                return null;
            case ImmutableDictionary<string, object?> dictionary:
                writer.WriteStartObject();
                foreach (var (key, element) in dictionary)
                {
                    writer.WritePropertyName(key);
                    var error = TryWriteJson(context, writer, element);
                    if (error != null)
                    {
                        return error;
                    }
                }

                writer.WriteEndObject();
                return null;
            default:
                return $"Unexpected type {value.GetType().FullName} when converting {context} to {nameof(JsonElement)}";
        }
    }
}
