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
/// <param name="DependsOn">The custom resources that must exist before it (data flow and explicit dependencies).</param>
internal sealed record PlannedResource(
    string Urn,
    string Type,
    string Name,
    string? ParentUrn,
    bool Custom,
    bool Protected,
    JsonObject Inputs,
    IReadOnlyList<string> DependsOn);

/// <summary>One stack output: its value, or that it is secret or known only after deployment.</summary>
internal sealed record PlannedOutput(string Name, JsonNode? Value, bool Secret);

/// <summary>What <c>pulumi up</c> would do for one stack file, computed offline.</summary>
internal sealed record Plan(
    string StackName,
    string StackFile,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<PlannedResource> Resources,
    IReadOnlyList<PlannedOutput> Outputs,
    string AdminInstructions,
    string WorklyticsInstructions,
    IReadOnlyList<string> LongestChain)
{
    public const string KnownAfterDeploy = "(known after deploy)";
    public const string Secret = "[secret]";

    public PlannedResource? Parent(PlannedResource resource) => Resources.FirstOrDefault(r => r.Urn == resource.ParentUrn);

    public IEnumerable<PlannedResource> Children(string urn) =>
        Resources.Where(r => r.ParentUrn == urn).OrderBy(r => r.Type, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal);

    public PlannedResource Root => Resources.Single(r => r.ParentUrn is null);

    /// <summary>Resources by type, for the summary.</summary>
    public IEnumerable<(string Type, int Count)> CountsByType =>
        Resources.GroupBy(r => r.Type).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count()));

    /// <summary>Builds the plan from what the recorder and the mocks saw during a preview run of the stack.</summary>
    public static async Task<Plan> BuildAsync(string stackName, string stackFile, IReadOnlyList<string> warnings,
        PsoxyStack stack, PlanRecorder recorder, PlanMocks mocks)
    {
        var declared = recorder.Declared;
        var urns = new Dictionary<Resource, string>(ReferenceEqualityComparer.Instance);
        foreach (var d in declared)
        {
            urns[d.Resource] = await OutputUtilities.GetValueAsync(d.Resource.Urn).ConfigureAwait(false);
        }

        // Mocks see each resource by (type, name); the recorder by object. Type and name identify a resource in this program.
        var registered = mocks.Registered.GroupBy(a => (a.Type ?? string.Empty, a.Name ?? string.Empty)).ToDictionary(g => g.Key, g => g.Last().Inputs);
        var byTypeAndName = declared.GroupBy(d => (d.Type, d.Name)).ToDictionary(g => g.Key, g => g.First());
        var children = declared.Where(d => d.Options.Parent is not null).ToLookup(d => d.Options.Parent!, ReferenceEqualityComparer.Instance);

        IEnumerable<Resource> CustomDescendantsOrSelf(Resource resource) =>
            resource is CustomResource ? [resource] : children[resource].SelectMany(c => CustomDescendantsOrSelf(c.Resource));

        var resources = new List<PlannedResource>();
        foreach (var d in declared)
        {
            var facts = await PlanRecorder.InspectInputsAsync(d.Args).ConfigureAwait(false);
            var raw = registered.GetValueOrDefault((d.Type, d.Name)) ?? ImmutableDictionary<string, object>.Empty;
            var inputs = InputsFor(raw, facts);

            var dependencies = new HashSet<Resource>(ReferenceEqualityComparer.Instance);
            foreach (var (type, name, _) in StringsIn(raw).SelectMany(mocks.StandInsIn))
            {
                if (byTypeAndName.TryGetValue((type, name), out var source))
                {
                    dependencies.Add(source.Resource);
                }
            }

            var explicitDependencies = await OutputUtilities.GetValueAsync(d.Options.DependsOn.ToOutput()).ConfigureAwait(false);
            foreach (var dependency in explicitDependencies.Where(r => r is not null))
            {
                dependencies.UnionWith(CustomDescendantsOrSelf(dependency));
            }

            // A child of a custom resource is created after it; a component parent is only a grouping.
            if (d.Options.Parent is CustomResource customParent)
            {
                dependencies.Add(customParent);
            }

            dependencies.Remove(d.Resource);
            resources.Add(new PlannedResource(
                urns[d.Resource],
                d.Type,
                d.Name,
                d.Options.Parent is { } parent && urns.TryGetValue(parent, out var parentUrn) ? parentUrn : null,
                d.Resource is CustomResource,
                d.Options.Protect == true,
                inputs,
                dependencies.Where(urns.ContainsKey).Select(r => urns[r]).Order(StringComparer.Ordinal).ToList()));
        }

        var outputs = await OutputsOfAsync(stack).ConfigureAwait(false);
        string Instructions(string name) => outputs.FirstOrDefault(o => o.Name == name)?.Value?.GetValue<string>() ?? KnownAfterDeploy;
        return new Plan(stackName, stackFile, warnings, resources, outputs,
            Instructions("adminInstructions"), Instructions("worklyticsInstructions"), LongestChainOf(resources));
    }

    private static IEnumerable<string> StringsIn(object? value) => value switch
    {
        string s => [s],
        System.Collections.IDictionary map => map.Values.Cast<object?>().SelectMany(StringsIn),
        System.Collections.IEnumerable items => items.Cast<object?>().SelectMany(StringsIn),
        _ => [],
    };

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

    private static JsonObject InputsFor(ImmutableDictionary<string, object> raw, InputFacts facts)
    {
        var inputs = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in raw)
        {
            inputs[key] = facts.SecretPaths.Contains(key) ? Secret : ToJson(value, key, facts.SecretPaths);
        }

        // Inputs the program set to values not known before deployment (they never reach the mocks).
        foreach (var unknown in facts.UnknownPaths.Where(p => !raw.ContainsKey(p)))
        {
            inputs[unknown] = KnownAfterDeploy;
        }

        // Secrets set to values not known yet (generated ones) are still shown as secrets.
        foreach (var secret in facts.SecretPaths.Where(p => !p.Contains('.', StringComparison.Ordinal) && !raw.ContainsKey(p)))
        {
            inputs[secret] = Secret;
        }

        return new JsonObject(inputs);
    }

    /// <summary>A value as JSON, with secrets below <paramref name="path"/> masked and stand-ins marked.</summary>
    private static JsonNode? ToJson(object? value, string path, IReadOnlySet<string> secretPaths) => value switch
    {
        null => null,
        string s => JsonValue.Create(PlanMocks.ReplaceStandIns(s, KnownAfterDeploy)),
        bool b => JsonValue.Create(b),
        int or long or double or decimal or float => JsonNode.Parse(JsonSerializer.Serialize(value)),
        System.Collections.IDictionary map => new JsonObject(map.Keys.Cast<object>().Select(k => k.ToString()!)
            .Order(StringComparer.Ordinal)
            .Select(k => KeyValuePair.Create(k, secretPaths.Contains($"{path}.{k}") ? (JsonNode?)Secret : ToJson(map[k], $"{path}.{k}", secretPaths)))),
        System.Collections.IEnumerable items => new JsonArray(items.Cast<object?>().Select(i => ToJson(i, path + "[]", secretPaths)).ToArray()),
        _ => JsonValue.Create(PlanMocks.ReplaceStandIns(value.ToString() ?? string.Empty, KnownAfterDeploy)),
    };

    private static async Task<List<PlannedOutput>> OutputsOfAsync(PsoxyStack stack)
    {
        var outputs = new List<PlannedOutput>();
        foreach (var (name, output, valueType) in UntypedOutput.StackOutputs(stack))
        {
            var isKnown = await UntypedOutput.IsKnownAsync(output, valueType).ConfigureAwait(false);
            var isSecret = await UntypedOutput.IsSecretAsync(output, valueType).ConfigureAwait(false);
            if (isSecret)
            {
                outputs.Add(new PlannedOutput(name, Secret, Secret: true));
            }
            else if (!isKnown)
            {
                outputs.Add(new PlannedOutput(name, KnownAfterDeploy, Secret: false));
            }
            else
            {
                var value = await UntypedOutput.GetValueAsync(output, valueType).ConfigureAwait(false);
                outputs.Add(new PlannedOutput(name, ToJson(value, name, new HashSet<string>()), Secret: false));
            }
        }

        return outputs.OrderBy(o => o.Name, StringComparer.Ordinal).ToList();
    }
}
