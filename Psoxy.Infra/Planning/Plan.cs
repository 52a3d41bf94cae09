using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pulumi;
using Pulumi.Utilities;

namespace Psoxy.Infra.Planning;

/// <summary>One resource the plan would create.</summary>
/// <param name="Urn">Its URN (its identity across deployments).</param>
/// <param name="ParentUrn">Its parent's URN; null for the stack itself.</param>
/// <param name="Custom">A cloud resource (true) or a component grouping others (false).</param>
/// <param name="Inputs">Its inputs, as they would be sent: secrets masked, values not known yet marked.</param>
/// <param name="Shown">The inputs as people read them: where a value is unknown only in part (one member of a map,
/// one ARN in a policy), its known parts, with <see cref="PlanValue.UnknownToken"/> for the rest.</param>
/// <param name="DependsOn">The custom resources that must exist before it (data flow and explicit dependencies).</param>
internal sealed record PlannedResource(
    string Urn,
    string Type,
    string Name,
    string? ParentUrn,
    bool Custom,
    bool Protected,
    JsonObject Inputs,
    JsonObject Shown,
    IReadOnlyList<string> DependsOn)
{
    /// <summary>The URNs it had before, from the aliases the program declares for it.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Per top-level input, the URNs of the resources whose outputs it carries.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> PropertyDependencies { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary>One stack output: its value, or that it is secret or known only after deployment.</summary>
internal sealed record PlannedOutput(string Name, JsonNode? Value, bool Secret);

/// <summary>What <c>pulumi up</c> would do for one stack file, computed offline.</summary>
/// <param name="Warnings">What the program warns about, as <c>pulumi preview</c> would show it.</param>
/// <param name="Notes">What the plan could not know offline and assumed.</param>
internal sealed record Plan(
    string StackName,
    string StackFile,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Notes,
    IReadOnlyList<PlannedResource> Resources,
    IReadOnlyList<PlannedOutput> Outputs,
    string AdminInstructions,
    string WorklyticsInstructions,
    IReadOnlyList<string> LongestChain)
{
    public PlannedResource? Parent(PlannedResource resource) => Resources.FirstOrDefault(r => r.Urn == resource.ParentUrn);

    public PlannedResource Resource(string urn) => Resources.Single(r => r.Urn == urn);

    public IEnumerable<PlannedResource> Children(string urn) =>
        Resources.Where(r => r.ParentUrn == urn).OrderBy(r => r.Type, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal);

    /// <summary>The stack: the one resource without a parent.</summary>
    public PlannedResource Root => Resources.Single(r => r.ParentUrn is null);

    /// <summary>Resources by type, for the summary.</summary>
    public IEnumerable<(string Type, int Count)> CountsByType =>
        Resources.GroupBy(r => r.Type).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count()));

    /// <summary>Builds the plan from what the recorder and the mocks saw during a preview run of the stack.</summary>
    public static async Task<Plan> BuildAsync(string stackName, string stackFile, IReadOnlyList<string> warnings, IReadOnlyList<string> notes,
        PsoxyStack stack, StackGraph graph, PlanMocks mocks, IReadOnlyDictionary<(string Type, string Name), ImmutableDictionary<string, object>> shapes)
    {
        // The mocks see each resource by type and name, the recorder by object; type and name identify a resource here.
        var registered = mocks.Registered.ToDictionary(a => (a.Type ?? string.Empty, a.Name ?? string.Empty), a => a.Inputs);
        var resources = new List<PlannedResource>
        {
            new(graph.StackUrn, StackGraph.StackType, stack.GetResourceName(), null, Custom: false, Protected: false, [], [], []),
        };
        foreach (var d in graph.Declared)
        {
            var facts = await StackRecorder.InspectInputsAsync(d.Args).ConfigureAwait(false);
            var raw = registered.GetValueOrDefault((d.Type, d.Name)) ?? ImmutableDictionary<string, object>.Empty;
            var dependencies = await graph.DependenciesAsync(d, facts).ConfigureAwait(false);
            var shape = shapes.GetValueOrDefault((d.Type, d.Name));
            var inputs = InputsFor(raw, facts, shape);
            resources.Add(new PlannedResource(
                graph.UrnOf(d),
                d.Type,
                d.Name,
                graph.ParentUrnOf(d),
                d.Resource is CustomResource,
                d.Options.Protect == true,
                inputs,
                Refined(inputs, facts, shape, PlanValue.WithUnknownParts),
                [.. dependencies.Select(graph.UrnOf).Order(StringComparer.Ordinal)])
            {
                Aliases = await graph.AliasUrnsAsync(d).ConfigureAwait(false),
                PropertyDependencies = graph.PropertyDependencies(facts),
            });
        }

        var outputs = await OutputsOfAsync(stack).ConfigureAwait(false);
        string Instructions(string name) =>
            outputs.FirstOrDefault(o => o.Name == name)?.Value is JsonValue v && v.TryGetValue<string>(out var text) ? text : PlanValue.UnknownText;
        return new Plan(stackName, stackFile, warnings, notes, resources, outputs,
            Instructions("adminInstructions"), Instructions("worklyticsInstructions"), LongestChainOf(resources));
    }

    /// <summary>
    /// The longest path of dependent cloud resources: how many creations <c>pulumi up</c> must do one after another,
    /// however parallel it is otherwise.
    /// </summary>
    private static List<string> LongestChainOf(IReadOnlyList<PlannedResource> resources)
    {
        var custom = resources.Where(r => r.Custom).ToDictionary(r => r.Urn);
        var best = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);

        List<string> ChainEndingAt(string urn)
        {
            if (best.TryGetValue(urn, out var known))
            {
                return known;
            }

            if (!visiting.Add(urn))
            {
                throw new InvalidOperationException($"dependency cycle through {urn}");
            }

            var longest = custom[urn].DependsOn.Where(custom.ContainsKey).Select(ChainEndingAt)
                .OrderByDescending(c => c.Count).ThenBy(c => string.Join(' ', c), StringComparer.Ordinal).FirstOrDefault() ?? [];
            visiting.Remove(urn);
            return best[urn] = [.. longest, urn];
        }

        return custom.Keys.Order(StringComparer.Ordinal).Select(ChainEndingAt)
            .OrderByDescending(c => c.Count).ThenBy(c => string.Join(' ', c), StringComparer.Ordinal).FirstOrDefault() ?? [];
    }

    /// <summary>
    /// The inputs as the provider would receive them: every input the program set, with secrets masked and the parts
    /// not known yet marked, at any depth (Pulumi's signature objects). A map or list unknown only in part shows its
    /// known members, as Pulumi's own preview does, with each string holding an unknown part unknown as a whole.
    /// </summary>
    private static JsonObject InputsFor(ImmutableDictionary<string, object> raw, InputFacts facts, ImmutableDictionary<string, object>? shape)
    {
        // The mocks see only the inputs known as a whole; the others come from the args themselves, known parts kept.
        var seen = raw.ToDictionary(kv => kv.Key, kv => ToJson(kv.Value), StringComparer.Ordinal);
        foreach (var (key, value) in facts.Known.Where(kv => !seen.ContainsKey(kv.Key)))
        {
            seen[key] = value?.DeepClone();
        }

        var inputs = new JsonObject(seen.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        foreach (var path in facts.UnknownPaths.Select(ListPath).Distinct().Order(StringComparer.Ordinal))
        {
            Mark(inputs, path.Split('.'), PlanValue.Unknown, replace: false);
        }

        inputs = Refined(inputs, facts, shape, PlanValue.ForTools);
        foreach (var path in facts.SecretPaths.Order(StringComparer.Ordinal))
        {
            Mark(inputs, path.Split('.'), PlanValue.Secret, replace: true);
        }

        return inputs;
    }

    /// <summary>
    /// The inputs with each top-level or nested input unknown in the preview taken from the display-only run where
    /// that run knows part of it, each part still unknown marked by <paramref name="mark"/> (for tools a string with
    /// an unknown part is unknown; for people its known text stays). Secrets stay as the preview has them.
    /// </summary>
    private static JsonObject Refined(JsonObject inputs, InputFacts facts, ImmutableDictionary<string, object>? shape, Func<JsonNode?, JsonNode?> mark)
    {
        var shown = (JsonObject)inputs.DeepClone();
        if (shape is null)
        {
            return shown;
        }

        foreach (var path in facts.UnknownPaths.Select(ListPath).Distinct().Where(p => !facts.SecretPaths.Any(s => p.StartsWith(s, StringComparison.Ordinal))))
        {
            var segments = path.Split('.');
            if (ValueAt(shape, segments) is { } value && mark(ToJson(value)) is { } refined && !PlanValue.IsUnknown(refined))
            {
                Mark(shown, segments, () => refined.DeepClone(), replace: true);
            }
        }

        return shown;
    }

    /// <summary>
    /// The path of the list an unknown inside a list item belongs to (<c>a.list[].b</c> is <c>a.list</c>): Pulumi sends
    /// such a list as a whole, unknown while any item is.
    /// </summary>
    private static string ListPath(string path) => path.IndexOf("[]", StringComparison.Ordinal) is var i and >= 0 ? path[..i] : path;

    private static object? ValueAt(IReadOnlyDictionary<string, object> values, ReadOnlySpan<string> path) =>
        !values.TryGetValue(path[0], out var value) ? null
        : path.Length == 1 ? value
        : value is IReadOnlyDictionary<string, object> nested ? ValueAt(nested, path[1..])
        : null;

    /// <summary>Puts a marker at a wire path (<c>a.b[].c</c>): always for secrets, only where nothing is for unknowns.</summary>
    private static void Mark(JsonObject node, ReadOnlySpan<string> path, Func<JsonNode> marker, bool replace)
    {
        var segment = path[0];
        var isList = segment.EndsWith("[]", StringComparison.Ordinal);
        var key = isList ? segment[..^2] : segment;
        if (path.Length == 1)
        {
            if (replace || !node.ContainsKey(key))
            {
                node[key] = marker();
            }

            return;
        }

        switch (node[key])
        {
            case JsonArray items when isList:
                foreach (var item in items.OfType<JsonObject>())
                {
                    Mark(item, path[1..], marker, replace);
                }

                break;
            case JsonObject child when !isList:
                Mark(child, path[1..], marker, replace);
                break;
            case null when !isList:
                var created = new JsonObject();
                node[key] = created;
                Mark(created, path[1..], marker, replace);
                break;
        }
    }

    /// <summary>A wire value as JSON.</summary>
    internal static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int or long or double or decimal or float => JsonNode.Parse(JsonSerializer.Serialize(value)),
        System.Collections.IDictionary map => new JsonObject(map.Keys.Cast<object>().Select(k => k.ToString()!)
            .Order(StringComparer.Ordinal)
            .Select(k => KeyValuePair.Create(k, ToJson(map[k])))),
        System.Collections.IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(ToJson)]),
        _ => JsonValue.Create(value.ToString() ?? string.Empty),
    };

    private static async Task<List<PlannedOutput>> OutputsOfAsync(PsoxyStack stack)
    {
        var outputs = new List<PlannedOutput>();
        foreach (var (name, output, valueType) in UntypedOutput.StackOutputs(stack))
        {
            if (await UntypedOutput.IsSecretAsync(output, valueType).ConfigureAwait(false))
            {
                outputs.Add(new PlannedOutput(name, PlanValue.Secret(), Secret: true));
            }
            else if (!await UntypedOutput.IsKnownAsync(output, valueType).ConfigureAwait(false))
            {
                outputs.Add(new PlannedOutput(name, PlanValue.Unknown(), Secret: false));
            }
            else
            {
                var value = await UntypedOutput.GetValueAsync(output, valueType).ConfigureAwait(false);
                outputs.Add(new PlannedOutput(name, ToJson(value), Secret: false));
            }
        }

        return [.. outputs.OrderBy(o => o.Name, StringComparer.Ordinal)];
    }
}
