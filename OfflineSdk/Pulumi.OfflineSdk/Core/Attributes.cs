namespace Pulumi;

/// <summary>Marks a property (or the private field behind it) of an args class as a resource input with its wire name.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class InputAttribute : Attribute
{
    public InputAttribute(string name, bool required = false, bool json = false)
    {
        Name = name;
        IsRequired = required;
        Json = json;
    }

    internal string Name { get; }
    internal bool IsRequired { get; }
    internal bool Json { get; }
}

/// <summary>Marks a resource property as an output with its wire name (the property name by default).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class OutputAttribute : Attribute
{
    public OutputAttribute(string? name = null)
    {
        Name = name;
    }

    public string? Name { get; }
}

/// <summary>Marks a class built from wire values through its <see cref="OutputConstructorAttribute"/> constructor.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OutputTypeAttribute : Attribute
{
}

/// <summary>Marks the constructor that builds an output type; its parameter names are the wire names.</summary>
[AttributeUsage(AttributeTargets.Constructor)]
public sealed class OutputConstructorAttribute : Attribute
{
}

/// <summary>Gives an output-constructor parameter a wire name different from its own name.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class OutputConstructorParameterAttribute : Attribute
{
    public OutputConstructorParameterAttribute(string name)
    {
        Name = name;
    }

    public string Name { get; }
}

/// <summary>Marks a struct that is a string- or number-valued enum on the wire.</summary>
[AttributeUsage(AttributeTargets.Struct)]
public sealed class EnumTypeAttribute : Attribute
{
}

/// <summary>The type token of a resource class, and its package version.</summary>
[AttributeUsage(AttributeTargets.Class)]
public class ResourceTypeAttribute : Attribute
{
    public ResourceTypeAttribute(string type, string? version)
    {
        Type = type;
        Version = version;
    }

    public string Type { get; }

    public string? Version { get; }
}
