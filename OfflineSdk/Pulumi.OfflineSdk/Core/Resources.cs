using System.Collections.Immutable;
using System.Reflection;

namespace Pulumi;

/// <summary>Base of every resource: something with a type, a name and a URN.</summary>
public class Resource
{
    private readonly string _type;
    private readonly string _name;
    private readonly List<ResourceTransformation> _transformations;

    private protected Resource(string type, string name, bool custom, ResourceArgs args, ResourceOptions options, bool remote = false)
    {
        if (string.IsNullOrEmpty(type))
        {
            throw new ArgumentException("'type' cannot be null or empty.", nameof(type));
        }

        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("'name' cannot be null or empty.", nameof(name));
        }

        var deployment = Deployment.Current;
        _type = type;
        _name = name;
        IsCustom = custom;

        var isRootStack = type == WireConstants.RootStackType;
        if (isRootStack)
        {
            deployment.Stack = (Stack)this;
        }
        else if (options.Parent == null)
        {
            options.Parent = deployment.Stack;
        }

        if (options.Provider != null && options is ComponentResourceOptions { Providers.Count: > 0 })
        {
            throw new ResourceException("Do not supply both 'provider' and 'providers' options to a ComponentResource.", options.Parent);
        }

        // Transformations: the resource's own, then those inherited from its ancestors; each sees the previous one's result.
        var parent = options.Parent;
        var transformations = options.ResourceTransformations.Concat(parent?._transformations ?? []).ToList();
        foreach (var transformation in transformations)
        {
            if (transformation(new ResourceTransformationArgs(this, args, options)) is { } result)
            {
                if (result.Options.Parent != options.Parent)
                {
                    throw new ArgumentException("Transformations cannot currently be used to change the `parent` of a resource.");
                }

                args = result.Args;
                options = result.Options;
            }
        }

        _transformations = transformations;
        var providers = parent?.Providers ?? ImmutableDictionary<string, ProviderResource>.Empty;
        options.Protect ??= parent?.ResolvedOptions.Protect ?? false;

        if (custom)
        {
            if (options.Provider == null)
            {
                // Inherit the provider for this package from the parent.
                options.Provider = parent?.GetProvider(type);
            }
            else if (type.Split(':').Length == 3)
            {
                // Children of this resource inherit the explicit provider.
                providers = providers.SetItem(type.Split(':')[0], options.Provider);
            }
        }
        else
        {
            var list = options.Provider != null
                ? new List<ProviderResource> { options.Provider }
                : (options as ComponentResourceOptions)?.Providers ?? new List<ProviderResource>();
            foreach (var provider in list)
            {
                providers = providers.SetItem(provider.Package, provider);
            }
        }

        Providers = providers;
        ResolvedOptions = options;
        Urn = null!;
        var completions = OutputCompletions.Initialize(this, onlyBase: isRootStack);
        deployment.RegisterResource(this, custom, remote, args, options, completions);
    }

    [Output(WireConstants.UrnPropertyName)]
    public Output<string> Urn { get; private set; }

    /// <summary>The options this resource was registered with, after defaults and inheritance from its parent.</summary>
    internal ResourceOptions ResolvedOptions { get; }

    internal bool IsCustom { get; }

    /// <summary>Providers that children of this resource inherit, by package name.</summary>
    internal ImmutableDictionary<string, ProviderResource> Providers { get; }

    public string GetResourceType() => _type;

    public string GetResourceName() => _name;

    /// <summary>The provider a child with type or invoke token <paramref name="token"/> inherits from this resource.</summary>
    internal ProviderResource? GetProvider(string token)
    {
        var parts = token.Split(':');
        return parts.Length == 3 && Providers.TryGetValue(parts[0], out var provider) ? provider : null;
    }
}

/// <summary>A resource managed by a provider; it has an ID.</summary>
public class CustomResource : Resource
{
    public CustomResource(string type, string name, ResourceArgs? args, CustomResourceOptions? options = null)
        : base(type, name, custom: true, args ?? ResourceArgs.Empty, options?.Clone() ?? new CustomResourceOptions())
    {
    }

    [Output(WireConstants.IdPropertyName)]
    public Output<string> Id { get; private set; } = null!;
}

/// <summary>A provider instance; resources use it through their Provider option.</summary>
public class ProviderResource : CustomResource
{
    public ProviderResource(string package, string name, ResourceArgs args, CustomResourceOptions? options = null)
        : base($"pulumi:providers:{package}", name, args, options)
    {
        Package = package;
    }

    internal string Package { get; private set; } = "";

    /// <summary>The reference the engine uses for this provider: <c>urn::id</c>.</summary>
    internal async Task<string> GetReferenceAsync()
    {
        var urn = await Urn.GetValueAsync("").ConfigureAwait(false);
        var id = await Id.GetValueAsync("").ConfigureAwait(false);
        return $"{urn}::{(string.IsNullOrEmpty(id) ? WireConstants.UnknownValue : id)}";
    }
}

/// <summary>A resource that groups other resources.</summary>
public class ComponentResource : Resource
{
    public ComponentResource(string type, string name, ComponentResourceOptions? options = null)
        : this(type, name, ResourceArgs.Empty, options)
    {
    }

    public ComponentResource(string type, string name, ResourceArgs? args, ComponentResourceOptions? options = null, bool remote = false)
        : base(type, name, custom: false, args ?? ResourceArgs.Empty, options?.Clone() ?? new ComponentResourceOptions(), remote)
    {
    }

    protected void RegisterOutputs()
        => RegisterOutputs(ImmutableDictionary<string, object?>.Empty);

    protected void RegisterOutputs(IDictionary<string, object?> outputs)
        => RegisterOutputs(Task.FromResult(outputs ?? ImmutableDictionary<string, object?>.Empty));

    protected void RegisterOutputs(Task<IDictionary<string, object?>> outputs)
        => RegisterOutputs(Output.Create(outputs ?? throw new ArgumentNullException(nameof(outputs))));

    protected void RegisterOutputs(Output<IDictionary<string, object?>> outputs)
        => Deployment.Current.RegisterResourceOutputs(this, outputs ?? throw new ArgumentNullException(nameof(outputs)));

    internal void RegisterOutputsInternal(Output<IDictionary<string, object?>> outputs) => RegisterOutputs(outputs);
}

/// <summary>
/// The root of a program's resources. A derived class creates the resources in its constructor;
/// its <see cref="OutputAttribute"/> properties become the stack outputs.
/// </summary>
public class Stack : ComponentResource
{
    public Stack(StackOptions? options = null)
        : base(WireConstants.RootStackType, $"{Deployment.Instance.ProjectName}-{Deployment.Instance.StackName}",
            new ComponentResourceOptions { ResourceTransformations = options?.ResourceTransformations.ToList() ?? [] })
    {
    }

    /// <summary>The outputs this stack registered.</summary>
    internal Output<IDictionary<string, object?>> StackOutputs { get; private protected set; }
        = Output.Create<IDictionary<string, object?>>(ImmutableDictionary<string, object?>.Empty);

    /// <summary>Collects the [Output] properties of a derived stack and registers them as the stack outputs.</summary>
    internal void RegisterPropertyOutputs()
    {
        var outputs = new Dictionary<string, object?>();
        var unassigned = new List<string>();
        var wrongType = new List<string>();
        for (var type = GetType(); type != null && type != typeof(Stack); type = type.BaseType)
        {
            foreach (var property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                var attribute = property.GetCustomAttribute<OutputAttribute>();
                if (attribute == null)
                {
                    continue;
                }

                var propertyType = property.PropertyType;
                if (!propertyType.IsGenericType || propertyType.GetGenericTypeDefinition() != typeof(Output<>))
                {
                    wrongType.Add(property.Name);
                    continue;
                }

                var value = property.GetValue(this);
                if (value == null)
                {
                    unassigned.Add(property.Name);
                    continue;
                }

                outputs[attribute.Name ?? property.Name] = value;
            }
        }

        if (wrongType.Count > 0)
        {
            throw RunException.OutputsHaveIncorrectType(wrongType);
        }

        if (unassigned.Count > 0)
        {
            throw new RunException(
                $"Output(s) '{string.Join(", ", unassigned)}' have no value assigned. [Output] properties of a Stack must be assigned in its constructor.");
        }

        StackOutputs = Output.Create<IDictionary<string, object?>>(outputs);
        RegisterOutputsInternal(StackOutputs);
    }
}

/// <summary>The stack that the function overloads of <c>Deployment.TestAsync</c> create their resources in.</summary>
internal sealed class TestStack : Stack
{
    public TestStack(Func<Task<IDictionary<string, object?>>> createResources)
    {
        StackOutputs = Output.Create(createResources());
        RegisterOutputsInternal(StackOutputs);
    }
}

/// <summary>Resolves the [Output] members of a resource once the mock answers.</summary>
internal interface IOutputCompletion
{
    Type TargetType { get; }

    void SetValue(OutputData<object?> data);

    void TrySetException(Exception exception);

    void TrySetDefault(bool isKnown);
}

internal sealed class OutputCompletion<T> : IOutputCompletion
{
    private readonly TaskCompletionSource<OutputData<T>> _source = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Resource _resource;

    public OutputCompletion(Resource resource)
    {
        _resource = resource;
        Output = new Output<T>(_source.Task);
    }

    public Output<T> Output { get; }

    public Type TargetType => typeof(T);

    public void SetValue(OutputData<object?> data)
        => _source.TrySetResult(OutputData.Create(
            data.Resources.Add(_resource),
            data.Value is null ? default! : (T)data.Value,
            data.IsKnown,
            data.IsSecret));

    public void TrySetException(Exception exception) => _source.TrySetException(exception);

    public void TrySetDefault(bool isKnown)
        => _source.TrySetResult(OutputData.Create(ImmutableHashSet.Create(_resource), default(T)!, isKnown, false));
}

internal static class OutputCompletions
{
    public static ImmutableDictionary<string, IOutputCompletion> Initialize(Resource resource, bool onlyBase)
    {
        var result = ImmutableDictionary.CreateBuilder<string, IOutputCompletion>();
        for (var type = resource.GetType(); type != null && type != typeof(object); type = type.BaseType)
        {
            if (onlyBase && type != typeof(Resource))
            {
                continue;
            }

            const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            foreach (var member in type.GetMembers(flags))
            {
                var attribute = member.GetCustomAttribute<OutputAttribute>();
                if (attribute == null)
                {
                    continue;
                }

                var memberType = member switch
                {
                    PropertyInfo p => p.PropertyType,
                    FieldInfo f => f.FieldType,
                    _ => null,
                };
                if (memberType == null || !memberType.IsGenericType || memberType.GetGenericTypeDefinition() != typeof(Output<>))
                {
                    continue;
                }

                var name = attribute.Name ?? member.Name;
                if (result.ContainsKey(name))
                {
                    continue;
                }

                var completionType = typeof(OutputCompletion<>).MakeGenericType(memberType.GetGenericArguments()[0]);
                var completion = (IOutputCompletion)Activator.CreateInstance(completionType, resource)!;
                var output = completionType.GetProperty("Output")!.GetValue(completion);
                Assign(resource, member, output);
                result[name] = completion;
            }
        }

        return result.ToImmutable();
    }

    private static void Assign(Resource resource, MemberInfo member, object? value)
    {
        switch (member)
        {
            case FieldInfo field:
                field.SetValue(resource, value);
                break;
            case PropertyInfo property when property.SetMethod != null:
                property.SetValue(resource, value);
                break;
            case PropertyInfo property:
                var backing = property.DeclaringType!.GetField($"<{property.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic);
                backing?.SetValue(resource, value);
                break;
        }
    }
}
