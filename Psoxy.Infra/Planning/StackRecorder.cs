using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json.Nodes;
using Pulumi;
using Pulumi.Utilities;

namespace Psoxy.Infra.Planning;

/// <summary>One resource as the program declared it: the object, its args and its options.</summary>
internal sealed record DeclaredResource(int Order, Resource Resource, ResourceArgs Args, ResourceOptions Options)
{
    public string Type => Resource.GetResourceType();
    public string Name => Resource.GetResourceName();
}

/// <summary>
/// What a resource's inputs say about it: which are secret and which are set but unknown until deployment (by wire
/// path, <c>environment.variables</c>), which resources' outputs they carry (Pulumi's own dependency tracking), and
/// every input the program set with its known parts (<see cref="Known"/>: nested args as objects, each unknown or
/// secret part marked as Pulumi marks it). The mocks see an input only when it is known as a whole, so an object with
/// one unknown member (a function's build config naming a repository still to be created) reaches them not at all.
/// </summary>
internal sealed record InputFacts(IReadOnlySet<string> SecretPaths, IReadOnlySet<string> UnknownPaths, IReadOnlySet<Resource> Dependencies, JsonObject Known)
{
    /// <summary>The resources whose outputs each top-level input carries (Pulumi's property dependencies), by wire name.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<Resource>> DependenciesByInput { get; init; } = new Dictionary<string, IReadOnlySet<Resource>>();
}

/// <summary>
/// Observes every resource the program declares through a stack-wide <see cref="ResourceTransformation"/> (Pulumi's
/// in-process hook, run before registration), changing nothing: what it is, its parent, its options and args.
/// </summary>
internal sealed class StackRecorder
{
    private readonly ConcurrentQueue<DeclaredResource> _declared = new();
    private int _order;

    /// <summary>Stack options that report every resource to this recorder.</summary>
    public StackOptions StackOptions => new()
    {
        ResourceTransformations =
        [
            args =>
            {
                _declared.Enqueue(new DeclaredResource(Interlocked.Increment(ref _order), args.Resource, args.Args, args.Options));
                return null;
            },
        ],
    };

    /// <summary>Every resource declared so far, in order, the stack itself excluded.</summary>
    public IReadOnlyList<DeclaredResource> Declared => [.. _declared.Where(d => d.Resource is not Stack).OrderBy(d => d.Order)];

    /// <summary>
    /// The URNs the aliases of the declared resource <paramref name="type"/> <paramref name="name"/> name (none
    /// when it has none), for the mocks to find a renamed resource in a deployed stack's state by its old URN.
    /// </summary>
    public async Task<IReadOnlyList<string>> AliasUrnsAsync(string projectName, string stackName, string type, string name)
    {
        var declared = Declared.LastOrDefault(d => d.Type == type && d.Name == name);
        return declared is null || declared.Options.Aliases.Count == 0
            ? []
            : await Graph(projectName, stackName).AliasUrnsAsync(declared).ConfigureAwait(false);
    }

    /// <summary>The resources as the engine would know them in stack <paramref name="stackName"/> of <paramref name="projectName"/>.</summary>
    public StackGraph Graph(string projectName, string stackName) => new(Declared, projectName, stackName);

    /// <summary>What <paramref name="args"/>' inputs hold (secrets, unknowns, dependencies), nested args included.</summary>
    public static async Task<InputFacts> InspectInputsAsync(ResourceArgs args)
    {
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        var unknowns = new HashSet<string>(StringComparer.Ordinal);
        var dependencies = new HashSet<Resource>(ReferenceEqualityComparer.Instance);
        var byInput = new Dictionary<string, HashSet<Resource>>(StringComparer.Ordinal);
        var known = await CollectAsync(args, string.Empty, depth: 0, top: null).ConfigureAwait(false);
        return new InputFacts(secrets, unknowns, dependencies, known)
        {
            DependenciesByInput = byInput.ToDictionary(kv => kv.Key, kv => (IReadOnlySet<Resource>)kv.Value, StringComparer.Ordinal),
        };

        async Task<JsonObject> CollectAsync(object value, string prefix, int depth, string? top)
        {
            var parts = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
            if (depth > 6)
            {
                return [];
            }

            foreach (var (member, wireName) in InputMembers(value.GetType()))
            {
                var input = member switch
                {
                    FieldInfo f => f.GetValue(value),
                    PropertyInfo p => p.GetValue(value),
                    _ => null,
                };
                if (input is null || UntypedOutput.Of(input) is not var (output, valueType))
                {
                    continue;
                }

                var path = prefix + wireName;
                var carried = await UntypedOutput.GetDependenciesAsync(output, valueType).ConfigureAwait(false);
                dependencies.UnionWith(carried);
                var topInput = top ?? wireName;
                if (!byInput.TryGetValue(topInput, out var ofInput))
                {
                    byInput[topInput] = ofInput = new HashSet<Resource>(ReferenceEqualityComparer.Instance);
                }

                ofInput.UnionWith(carried);
                var secret = await UntypedOutput.IsSecretAsync(output, valueType).ConfigureAwait(false);
                if (secret)
                {
                    secrets.Add(path);
                }

                if (!await UntypedOutput.IsKnownAsync(output, valueType).ConfigureAwait(false))
                {
                    unknowns.Add(path);
                    parts[wireName] = secret ? PlanValue.Secret() : PlanValue.Unknown();
                    continue;
                }

                // Nested args carry inputs of their own, which Pulumi resolves when it serializes them.
                JsonNode? part;
                switch (await UntypedOutput.GetValueAsync(output, valueType).ConfigureAwait(false))
                {
                    case null:
                        continue;
                    case ResourceArgs nested:
                        part = await CollectAsync(nested, path + ".", depth + 1, topInput).ConfigureAwait(false);
                        break;
                    case System.Collections.IEnumerable items and not string and not System.Collections.IDictionary:
                        var list = new JsonArray();
                        foreach (var item in items)
                        {
                            list.Add(item is ResourceArgs args ? await CollectAsync(args, path + "[].", depth + 1, topInput).ConfigureAwait(false) : Plan.ToJson(item));
                        }

                        part = list;
                        break;
                    case var plain:
                        part = Plan.ToJson(plain);
                        break;
                }

                parts[wireName] = secret ? PlanValue.Secret() : part;
            }

            return new JsonObject(parts);
        }
    }

    private static readonly ConcurrentDictionary<Type, ImmutableArray<(MemberInfo Member, string WireName)>> MemberCache = new();

    // [Input] sits on public properties, or on the private field behind a property (lists, maps, secrets).
    private static ImmutableArray<(MemberInfo Member, string WireName)> InputMembers(Type type) => MemberCache.GetOrAdd(type, t =>
    {
        var members = new List<(MemberInfo, string)>();
        for (var current = t; current is not null && current != typeof(object); current = current.BaseType)
        {
            const BindingFlags Flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            foreach (var member in current.GetFields(Flags).Cast<MemberInfo>().Concat(current.GetProperties(Flags)))
            {
                var attribute = member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(InputAttribute));
                if (attribute?.ConstructorArguments is [{ Value: string name }, ..])
                {
                    members.Add((member, name));
                }
            }
        }

        return [.. members.DistinctBy(m => m.Item2)];
    });
}

/// <summary>
/// The declared resources as the Pulumi engine would identify and order them: each one's parent (a resource
/// declared without one belongs to the stack), its URN, built from the parent chain's types as the engine builds it,
/// and the resources that must exist before it.
/// </summary>
internal sealed class StackGraph
{
    public const string StackType = "pulumi:pulumi:Stack";

    private readonly Dictionary<Resource, DeclaredResource> _byResource = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Resource, string> _qualifiedTypes = new(ReferenceEqualityComparer.Instance);
    private readonly ILookup<Resource, DeclaredResource> _children;
    private readonly string _urnPrefix;

    public StackGraph(IReadOnlyList<DeclaredResource> declared, string projectName, string stackName)
    {
        Declared = declared;
        foreach (var d in declared)
        {
            _byResource[d.Resource] = d;
        }

        _children = declared.Where(d => ParentOf(d) is not null).ToLookup(d => ParentOf(d)!, (IEqualityComparer<Resource>)ReferenceEqualityComparer.Instance);
        _urnPrefix = $"urn:pulumi:{stackName}::{projectName}::";
        StackUrn = $"{_urnPrefix}{StackType}::{projectName}-{stackName}";
    }

    public IReadOnlyList<DeclaredResource> Declared { get; }

    public string StackUrn { get; }

    /// <summary>The declared parent; null for a resource of the stack itself (Pulumi passes no parent for those).</summary>
    public static Resource? ParentOf(DeclaredResource resource) => resource.Options.Parent is Stack ? null : resource.Options.Parent;

    public string UrnOf(DeclaredResource resource) => _urnPrefix + QualifiedType(resource.Resource) + "::" + resource.Name;

    /// <summary>The URN of the resource's parent: the stack's for top-level resources.</summary>
    public string ParentUrnOf(DeclaredResource resource) =>
        ParentOf(resource) is { } parent && _byResource.TryGetValue(parent, out var declaredParent) ? UrnOf(declaredParent) : StackUrn;

    /// <summary>
    /// Per top-level input, the URNs of the custom resources whose outputs it carries (a component standing for its
    /// custom descendants), as the engine records them in the state's <c>propertyDependencies</c>.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> PropertyDependencies(InputFacts facts) =>
        facts.DependenciesByInput.ToDictionary(
            kv => kv.Key,
            kv => (IReadOnlyList<string>)[.. kv.Value.SelectMany(CustomDescendantsOrSelf).Where(_byResource.ContainsKey).Select(r => UrnOf(_byResource[r])).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            StringComparer.Ordinal);

    /// <summary>The custom resources that must exist before <paramref name="resource"/>: those whose outputs its inputs carry, its explicit dependencies (a component standing for its custom descendants) and a custom parent.</summary>
    public async Task<IReadOnlyList<DeclaredResource>> DependenciesAsync(DeclaredResource resource, InputFacts facts)
    {
        var dependencies = new HashSet<Resource>(ReferenceEqualityComparer.Instance);
        foreach (var source in facts.Dependencies)
        {
            dependencies.UnionWith(CustomDescendantsOrSelf(source));
        }

        var explicitDependencies = await OutputUtilities.GetValueAsync(resource.Options.DependsOn.ToOutput()).ConfigureAwait(false);
        foreach (var dependency in explicitDependencies.Where(r => r is not null))
        {
            dependencies.UnionWith(CustomDescendantsOrSelf(dependency));
        }

        if (ParentOf(resource) is CustomResource customParent)
        {
            dependencies.Add(customParent);
        }

        dependencies.Remove(resource.Resource);
        return [.. dependencies.Where(_byResource.ContainsKey).Select(r => _byResource[r]).OrderBy(d => d.Order)];
    }

    /// <summary>
    /// The URNs <paramref name="resource"/>'s aliases name: a whole URN, or another name or type under the same parent
    /// (the forms the program may use; an alias to another parent, stack or project is given as a URN).
    /// </summary>
    public async Task<IReadOnlyList<string>> AliasUrnsAsync(DeclaredResource resource)
    {
        var urns = new List<string>();
        foreach (var input in resource.Options.Aliases)
        {
            var alias = await OutputUtilities.GetValueAsync(input.ToOutput()).ConfigureAwait(false);
            if (alias.Urn is { } urn)
            {
                urns.Add(urn);
                continue;
            }

            var name = alias.Name is { } n ? await OutputUtilities.GetValueAsync(n.ToOutput()).ConfigureAwait(false) : resource.Name;
            var type = alias.Type is { } t ? await OutputUtilities.GetValueAsync(t.ToOutput()).ConfigureAwait(false) : resource.Type;
            var qualified = ParentOf(resource) is { } parent && _byResource.ContainsKey(parent) ? QualifiedType(parent) + "$" + type : type;
            urns.Add(_urnPrefix + qualified + "::" + name);
        }

        return urns;
    }

    private IEnumerable<Resource> CustomDescendantsOrSelf(Resource resource) =>
        resource is CustomResource ? [resource] : _children[resource].SelectMany(c => CustomDescendantsOrSelf(c.Resource));

    // The engine qualifies a type with its parent's qualified type, except under the stack: parent$child.
    private string QualifiedType(Resource resource)
    {
        if (!_qualifiedTypes.TryGetValue(resource, out var qualified))
        {
            var declared = _byResource[resource];
            qualified = ParentOf(declared) is { } parent && _byResource.ContainsKey(parent)
                ? QualifiedType(parent) + "$" + declared.Type
                : declared.Type;
            _qualifiedTypes[resource] = qualified;
        }

        return qualified;
    }
}
