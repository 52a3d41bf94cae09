using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using Pulumi;
using Pulumi.Testing;

namespace Psoxy.Infra.Planning;

/// <summary>
/// Mocks for the plan's second, display-only run. A preview knows nothing of a value that embeds one computed output
/// (a map with one such member, a policy naming one ARN), so the plan runs the program once more with each computed
/// string output replaced by <see cref="PlanValue.UnknownToken"/>, to learn which parts of such values are known.
/// Only the display of inputs unknown in the preview uses this run; its dependencies, outputs and everything else
/// come from the preview itself.
/// </summary>
internal sealed class ShapeMocks(PlanMocks preview) : IMocks
{
    // Outputs a program parses (certificates, timestamps) or that are secret stay unknown: a token would not parse.
    private static readonly string[] Opaque = ["pem", "pkcs8", "openssh", "time", "result", "fingerprint", "b64", "hex", "json", "base64"];

    private static readonly ConcurrentDictionary<string, Type?> ResourceClasses = new(StringComparer.Ordinal);
    private static readonly Lock ScanLock = new();

    public ConcurrentQueue<MockResourceArgs> Registered { get; } = new();

    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args)
    {
        Registered.Enqueue(args);
        var state = args.Inputs.ToBuilder();
        var resourceClass = ResourceClass(args.Type ?? string.Empty);
        foreach (var output in ComputedStringOutputs(resourceClass))
        {
            state.TryAdd(output, PlanValue.UnknownToken);
        }

        var id = resourceClass is not null && typeof(CustomResource).IsAssignableFrom(resourceClass) ? PlanValue.UnknownToken : null;
        return Task.FromResult<(string?, object)>((id, state.ToImmutable()));
    }

    public Task<object> CallAsync(MockCallArgs args) => preview.CallAsync(args);

    private static IEnumerable<string> ComputedStringOutputs(Type? resourceClass) => resourceClass is null
        ? []
        : resourceClass.GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p.PropertyType == typeof(Output<string>))
            .Select(p => p.GetCustomAttribute<OutputAttribute>()?.Name)
            .OfType<string>()
            .Where(name => name is not "urn" and not "id" && !Opaque.Any(o => name.Contains(o, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The provider class of a resource type token, found among the loaded assemblies (null for components).</summary>
    private static Type? ResourceClass(string token)
    {
        if (ResourceClasses.TryGetValue(token, out var known))
        {
            return known;
        }

        lock (ScanLock)
        {
            return ResourceClasses.GetOrAdd(token, t => AppDomain.CurrentDomain.GetAssemblies()
                .Where(a => !a.IsDynamic && a.GetName().Name?.StartsWith("Pulumi.", StringComparison.Ordinal) == true)
                .SelectMany(ExportedTypes)
                .FirstOrDefault(type => type.GetCustomAttribute<ResourceTypeAttribute>(inherit: false)?.Type == t));
        }
    }

    private static IEnumerable<Type> ExportedTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is NotSupportedException or ReflectionTypeLoadException or FileNotFoundException)
        {
            return [];
        }
    }
}
