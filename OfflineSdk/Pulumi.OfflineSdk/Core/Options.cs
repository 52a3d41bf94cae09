namespace Pulumi;

/// <summary>Options that control how a resource is registered.</summary>
public abstract class ResourceOptions
{
    private InputList<Resource>? _dependsOn;
    private List<string>? _ignoreChanges;
    private List<Input<Alias>>? _aliases;
    private List<string>? _replaceOnChanges;
    private List<string>? _hideDiffs;
    private InputList<Resource>? _replaceWith;
    private List<ResourceTransformation>? _resourceTransformations;

    protected ResourceOptions()
    {
    }

    public Input<string>? Id { get; set; }

    public Resource? Parent { get; set; }

    public InputList<Resource> DependsOn
    {
        get => _dependsOn ??= new InputList<Resource>();
        set => _dependsOn = value;
    }

    public bool? Protect { get; set; }

    public List<string> IgnoreChanges
    {
        get => _ignoreChanges ??= new List<string>();
        set => _ignoreChanges = value;
    }

    public string? Version { get; set; }

    public ProviderResource? Provider { get; set; }

    public CustomTimeouts? CustomTimeouts { get; set; }

    public List<Input<Alias>> Aliases
    {
        get => _aliases ??= new List<Input<Alias>>();
        set => _aliases = value;
    }

    public string? Urn { get; set; }

    public List<string> ReplaceOnChanges
    {
        get => _replaceOnChanges ??= new List<string>();
        set => _replaceOnChanges = value;
    }

    public bool? RetainOnDelete { get; set; }

    public Resource? DeletedWith { get; set; }

    public string? PluginDownloadURL { get; set; }

    public List<string> HideDiffs
    {
        get => _hideDiffs ??= new List<string>();
        set => _hideDiffs = value;
    }

    public InputList<Resource> ReplaceWith
    {
        get => _replaceWith ??= new InputList<Resource>();
        set => _replaceWith = value;
    }

    public Input<object>? ReplacementTrigger { get; set; }

    /// <summary>Functions that may rewrite the args and options of this resource and of its children, in-process, before registration.</summary>
    public List<ResourceTransformation> ResourceTransformations
    {
        get => _resourceTransformations ??= new List<ResourceTransformation>();
        set => _resourceTransformations = value;
    }

    internal bool HasDependsOn => _dependsOn != null;

    private protected void CopyTo(ResourceOptions target)
    {
        target.Id = Id;
        target.Parent = Parent;
        target.DependsOn = DependsOn.Concat(new InputList<Resource>());
        target.Protect = Protect;
        target.IgnoreChanges = IgnoreChanges.ToList();
        target.Version = Version;
        target.Provider = Provider;
        target.CustomTimeouts = CustomTimeouts?.Clone();
        target.Aliases = Aliases.ToList();
        target.Urn = Urn;
        target.ReplaceOnChanges = ReplaceOnChanges.ToList();
        target.RetainOnDelete = RetainOnDelete;
        target.DeletedWith = DeletedWith;
        target.PluginDownloadURL = PluginDownloadURL;
        target.HideDiffs = HideDiffs.ToList();
        target.ReplaceWith = ReplaceWith.Concat(new InputList<Resource>());
        target.ReplacementTrigger = ReplacementTrigger;
        target.ResourceTransformations = ResourceTransformations.ToList();
    }

    /// <summary>Merges <paramref name="source"/> into <paramref name="target"/>: scalars set in the source win, lists are concatenated.</summary>
    private protected static void MergeInto(ResourceOptions target, ResourceOptions source)
    {
        target.Id = source.Id ?? target.Id;
        target.Parent = source.Parent ?? target.Parent;
        target.DependsOn = target.DependsOn.Concat(source.DependsOn);
        target.Protect = source.Protect ?? target.Protect;
        target.IgnoreChanges.AddRange(source.IgnoreChanges);
        target.Version = source.Version ?? target.Version;
        target.Provider = source.Provider ?? target.Provider;
        target.CustomTimeouts = source.CustomTimeouts ?? target.CustomTimeouts;
        target.Aliases.AddRange(source.Aliases);
        target.Urn = source.Urn ?? target.Urn;
        target.ReplaceOnChanges.AddRange(source.ReplaceOnChanges);
        target.RetainOnDelete = source.RetainOnDelete ?? target.RetainOnDelete;
        target.DeletedWith = source.DeletedWith ?? target.DeletedWith;
        target.PluginDownloadURL = source.PluginDownloadURL ?? target.PluginDownloadURL;
        target.HideDiffs.AddRange(source.HideDiffs);
        target.ReplaceWith = target.ReplaceWith.Concat(source.ReplaceWith);
        target.ReplacementTrigger = source.ReplacementTrigger ?? target.ReplacementTrigger;
        target.ResourceTransformations.AddRange(source.ResourceTransformations);
    }
}

/// <summary>Options of a custom (provider-managed) resource.</summary>
public sealed class CustomResourceOptions : ResourceOptions
{
    private List<string>? _additionalSecretOutputs;
    private Dictionary<string, string>? _envVarMappings;

    public bool? DeleteBeforeReplace { get; set; }

    public List<string> AdditionalSecretOutputs
    {
        get => _additionalSecretOutputs ??= new List<string>();
        set => _additionalSecretOutputs = value;
    }

    public string? ImportId { get; set; }

    public Dictionary<string, string> EnvVarMappings
    {
        get => _envVarMappings ??= new Dictionary<string, string>();
        set => _envVarMappings = value;
    }

    internal CustomResourceOptions Clone()
    {
        var clone = new CustomResourceOptions
        {
            DeleteBeforeReplace = DeleteBeforeReplace,
            AdditionalSecretOutputs = AdditionalSecretOutputs.ToList(),
            ImportId = ImportId,
            EnvVarMappings = new Dictionary<string, string>(EnvVarMappings),
        };
        CopyTo(clone);
        return clone;
    }

    public static CustomResourceOptions Merge(CustomResourceOptions? options1, CustomResourceOptions? options2)
    {
        var result = options1?.Clone() ?? new CustomResourceOptions();
        var source = options2?.Clone() ?? new CustomResourceOptions();
        MergeInto(result, source);
        result.DeleteBeforeReplace = source.DeleteBeforeReplace ?? result.DeleteBeforeReplace;
        result.AdditionalSecretOutputs.AddRange(source.AdditionalSecretOutputs);
        result.ImportId = source.ImportId ?? result.ImportId;
        foreach (var (key, value) in source.EnvVarMappings)
        {
            result.EnvVarMappings[key] = value;
        }

        return result;
    }
}

/// <summary>Options of a component resource.</summary>
public sealed class ComponentResourceOptions : ResourceOptions
{
    private List<ProviderResource>? _providers;

    public List<ProviderResource> Providers
    {
        get => _providers ??= new List<ProviderResource>();
        set => _providers = value;
    }

    internal ComponentResourceOptions Clone()
    {
        var clone = new ComponentResourceOptions { Providers = Providers.ToList() };
        CopyTo(clone);
        return clone;
    }

    public static ComponentResourceOptions Merge(ComponentResourceOptions? options1, ComponentResourceOptions? options2)
    {
        var result = options1?.Clone() ?? new ComponentResourceOptions();
        var source = options2?.Clone() ?? new ComponentResourceOptions();
        MergeInto(result, source);
        result.Providers.AddRange(source.Providers);
        return result;
    }
}

/// <summary>Options of a <see cref="Stack"/>.</summary>
public class StackOptions
{
    private List<ResourceTransformation>? _resourceTransformations;

    /// <summary>Transformations every resource of the stack inherits.</summary>
    public List<ResourceTransformation> ResourceTransformations
    {
        get => _resourceTransformations ??= new List<ResourceTransformation>();
        set => _resourceTransformations = value;
    }
}

/// <summary>Rewrites a resource's args and options before it is registered; null leaves them unchanged.</summary>
public delegate ResourceTransformationResult? ResourceTransformation(ResourceTransformationArgs args);

/// <summary>What a <see cref="ResourceTransformation"/> is given: the resource being constructed, its args and options.</summary>
public readonly struct ResourceTransformationArgs
{
    public ResourceTransformationArgs(Resource resource, ResourceArgs args, ResourceOptions options)
    {
        Resource = resource;
        Args = args;
        Options = options;
    }

    public Resource Resource { get; }

    public ResourceArgs Args { get; }

    public ResourceOptions Options { get; }
}

/// <summary>The args and options a <see cref="ResourceTransformation"/> replaces the originals with.</summary>
public readonly struct ResourceTransformationResult
{
    public ResourceTransformationResult(ResourceArgs args, ResourceOptions options)
    {
        Args = args;
        Options = options;
    }

    public ResourceArgs Args { get; }

    public ResourceOptions Options { get; }
}

/// <summary>How long create, update and delete operations may take.</summary>
public sealed class CustomTimeouts
{
    public TimeSpan? Create { get; set; }

    public TimeSpan? Update { get; set; }

    public TimeSpan? Delete { get; set; }

    internal CustomTimeouts Clone() => new() { Create = Create, Update = Update, Delete = Delete };
}

/// <summary>A previous identity of a resource, so that renaming or re-parenting it does not replace it.</summary>
public sealed class Alias
{
    public Input<string>? Name { get; set; }

    public Input<string>? Type { get; set; }

    public Resource? Parent { get; set; }

    public Input<string>? ParentUrn { get; set; }

    public Input<string>? Stack { get; set; }

    public Input<string>? Project { get; set; }

    public string? Urn { get; set; }

    public bool NoParent { get; set; }
}

/// <summary>Options of an invoke.</summary>
public class InvokeOptions
{
    public Resource? Parent { get; set; }

    public ProviderResource? Provider { get; set; }

    public string? Version { get; set; }

    public string? PluginDownloadURL { get; set; }
}

/// <summary>Options of an output-returning invoke.</summary>
public class InvokeOutputOptions : InvokeOptions
{
    private InputList<Resource>? _dependsOn;

    public InputList<Resource> DependsOn
    {
        get => _dependsOn ??= new InputList<Resource>();
        set => _dependsOn = value;
    }
}
