using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using Pulumi;

namespace Psoxy.Infra.Planning;

/// <summary>One resource as the program declared it: the object, its args and its resolved options.</summary>
internal sealed record DeclaredResource(int Order, Resource Resource, ResourceArgs Args, ResourceOptions Options)
{
    public string Type => Resource.GetResourceType();
    public string Name => Resource.GetResourceName();
}

/// <summary>Which inputs of a resource are secret, and which are set but unknown until deployment, by wire path.</summary>
internal sealed record InputFacts(HashSet<string> SecretPaths, HashSet<string> UnknownPaths);

/// <summary>
/// Observes every resource the program declares through a stack-wide <see cref="ResourceTransformation"/> (Pulumi's
/// in-process hook, run before registration, under the official SDK and the offline one alike): what it is, its
/// parent, its explicit dependencies, its protection, and which of its inputs are secret.
/// </summary>
internal sealed class PlanRecorder
{
    private readonly ConcurrentQueue<DeclaredResource> _declared = new();
    private int _order;

    public IReadOnlyList<DeclaredResource> Declared => _declared.OrderBy(d => d.Order).ToList();

    /// <summary>Stack options that report every resource to this recorder and change nothing.</summary>
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

    /// <summary>
    /// The wire paths (<c>value</c>, <c>environment.variables</c>...) of the inputs that hold secrets, found by asking
    /// each input whether it is secret, in nested args too; and the top-level inputs that are set but not known yet.
    /// </summary>
    public static async Task<InputFacts> InspectInputsAsync(ResourceArgs args)
    {
        var facts = new InputFacts(new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));
        await CollectAsync(args, string.Empty, facts, depth: 0).ConfigureAwait(false);
        return facts;
    }

    /// <summary>The wire names of every input the args type declares.</summary>
    public static IEnumerable<string> InputNames(ResourceArgs args) => InputMembers(args.GetType()).Select(m => m.WireName);

    private static async Task CollectAsync(object args, string prefix, InputFacts facts, int depth)
    {
        if (depth > 4)
        {
            return;
        }

        foreach (var (member, wireName) in InputMembers(args.GetType()))
        {
            var value = member switch
            {
                FieldInfo f => f.GetValue(args),
                PropertyInfo p => p.GetValue(args),
                _ => null,
            };
            if (value is null || UntypedOutput.Of(value) is not var (output, valueType))
            {
                continue;
            }

            var path = prefix + wireName;
            if (await UntypedOutput.IsSecretAsync(output, valueType).ConfigureAwait(false))
            {
                facts.SecretPaths.Add(path);
                continue;
            }

            if (!await UntypedOutput.IsKnownAsync(output, valueType).ConfigureAwait(false))
            {
                facts.UnknownPaths.Add(path);
                continue;
            }

            switch (await UntypedOutput.GetValueAsync(output, valueType).ConfigureAwait(false))
            {
                case ResourceArgs nested:
                    await CollectAsync(nested, path + ".", facts, depth + 1).ConfigureAwait(false);
                    break;
                case System.Collections.IEnumerable items and not string:
                    foreach (var item in items.OfType<ResourceArgs>())
                    {
                        await CollectAsync(item, path + "[].", facts, depth + 1).ConfigureAwait(false);
                    }

                    break;
            }
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
