using System.Text.Json.Nodes;

namespace Psoxy.Infra.Planning.State;

/// <summary>What <c>pulumi up</c> would do to one resource of a deployed stack (the ops of <c>pulumi preview --json</c>).</summary>
internal enum StepOp
{
    Same,
    Update,
    Replace,
    Create,
    Delete,
}

/// <summary>One step of the change to a deployed stack.</summary>
/// <param name="OldUrn">The URN in the state when the program reaches it through an alias.</param>
/// <param name="DiffReasons">The changed inputs.</param>
/// <param name="ReplaceReasons">The changed inputs that force the replacement.</param>
/// <param name="MayReplace">The replacement is not certain: an input that may force it is known only when <c>pulumi up</c> runs, or the type's replacement-forcing inputs are not known.</param>
/// <param name="KnownAtDeploy">Inputs known only when <c>pulumi up</c> runs (the deployer's identity, values the cloud computes): not counted as changes.</param>
/// <param name="Blocking">A protected resource to delete: <c>pulumi up</c> refuses until its protection is removed.</param>
internal sealed record PlanStep(
    StepOp Op,
    string Urn,
    string Type,
    string Name,
    string? OldUrn,
    JsonObject? OldInputs,
    JsonObject? NewInputs,
    IReadOnlyList<string> DiffReasons,
    IReadOnlyList<string> ReplaceReasons,
    bool MayReplace,
    IReadOnlyList<string> KnownAtDeploy,
    bool Blocking)
{
    public bool IsChange => Op != StepOp.Same;
}

/// <summary>Compares a plan of the program with a deployed stack's state, resource by resource, offline.</summary>
internal static class StateDiff
{
    /// <summary>The steps, in the plan's order, deletes last; the stack itself and provider resources are never steps.</summary>
    public static IReadOnlyList<PlanStep> Compute(Plan plan, StackExport state)
    {
        var byUrn = new Dictionary<string, StateResource>(StringComparer.Ordinal);
        foreach (var resource in state.Resources.Where(r => !r.IsProvider && r.Type != StackGraph.StackType))
        {
            byUrn.TryAdd(resource.Urn, resource);
            foreach (var alias in resource.Aliases)
            {
                byUrn.TryAdd(alias, resource);
            }
        }

        // Each planned resource's URN and the URNs its aliases name: how a dependency is recognized in the state.
        var knownAs = plan.Resources.ToDictionary(r => r.Urn, r => (IReadOnlySet<string>)r.Aliases.Append(r.Urn).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var matched = new HashSet<StateResource>(ReferenceEqualityComparer.Instance);
        var steps = new List<PlanStep>();
        // Resources created or replaced: what the program takes from their outputs is new, not known offline.
        var renewed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var planned in plan.Resources.Where(r => r.ParentUrn is not null))
        {
            var old = byUrn.GetValueOrDefault(planned.Urn) ?? planned.Aliases.Select(byUrn.GetValueOrDefault).FirstOrDefault(r => r is not null);
            if (old is null || !matched.Add(old))
            {
                renewed.Add(planned.Urn);
                steps.Add(new PlanStep(StepOp.Create, planned.Urn, planned.Type, planned.Name, null, null, planned.Inputs, [], [], false, [], false));
                continue;
            }

            var step = Compare(planned, old, planned.DependsOn.Any(renewed.Contains), knownAs);
            if (step.Op is StepOp.Replace)
            {
                renewed.Add(planned.Urn);
            }

            steps.Add(step);
        }

        foreach (var gone in state.Resources.Where(r => !r.IsProvider && r.Type != StackGraph.StackType && !matched.Contains(r)))
        {
            steps.Add(new PlanStep(StepOp.Delete, gone.Urn, gone.Type, gone.Name, null, gone.Inputs, null, [], [], false, [], gone.Protect));
        }

        return steps;
    }

    /// <param name="upstreamRenewed">Whether a resource whose outputs this one's inputs carry is created or replaced.</param>
    /// <param name="knownAs">Each planned resource's URN and alias URNs, by its URN.</param>
    private static PlanStep Compare(PlannedResource planned, StateResource old, bool upstreamRenewed, IReadOnlyDictionary<string, IReadOnlySet<string>> knownAs)
    {
        var changed = new List<string>();
        var knownAtDeploy = new List<string>();
        var mayReplace = false;
        var defaults = old.Inputs["__defaults"] is JsonArray list ? list.OfType<JsonValue>().Select(v => v.ToString()).ToHashSet(StringComparer.Ordinal) : [];
        var keys = planned.Inputs.Select(kv => kv.Key)
            .Union(old.Inputs.Select(kv => kv.Key).Where(k => !k.StartsWith("__", StringComparison.Ordinal) && !defaults.Contains(k)))
            .Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var now = planned.Inputs[key];
            var before = old.Inputs[key];
            if (ContainsUnknown(now) && upstreamRenewed)
            {
                // From a resource that will be new: the value changes, and may force a replacement, which is said.
                changed.Add(key);
                mayReplace |= planned.Custom && (!ReplacementInputs.Knows(planned.Type) || ReplacementInputs.Forces(planned.Type, key));
            }
            else if (ContainsUnknown(now))
            {
                // Only what `pulumi up` reads when it runs (the deployer, a directory lookup, an identity Cognito
                // keeps): as the state has it unless the deployer or directory differ, which the plan says.
                knownAtDeploy.Add(key);
            }
            else if (IsSecretValue(now) && IsSecretValue(before))
            {
                // Never decrypted: a secret from the same source (the same resources' outputs, or none: the stack's
                // configuration) is the value the state holds; from another source it is a change, shown masked.
                if (!SameSources(planned.PropertyDependencies.GetValueOrDefault(key) ?? [], old.PropertyDependencies.GetValueOrDefault(key) ?? [], knownAs))
                {
                    changed.Add(key);
                }
            }
            else if (!SameValue(now, before))
            {
                changed.Add(key);
            }
        }

        var forcing = changed.Where(k => ReplacementInputs.Forces(planned.Type, k) && !ContainsUnknown(planned.Inputs[k])).ToList();
        var unknownType = planned.Custom && changed.Count > 0 && !ReplacementInputs.Knows(planned.Type);
        mayReplace |= unknownType;
        var op = !planned.Custom && changed.Count == 0 ? StepOp.Same
            : forcing.Count > 0 || mayReplace ? StepOp.Replace
            : changed.Count > 0 ? StepOp.Update
            : StepOp.Same;
        return new PlanStep(op, planned.Urn, planned.Type, planned.Name, old.Urn == planned.Urn ? null : old.Urn, old.Inputs, planned.Inputs,
            changed, forcing, forcing.Count == 0 && op == StepOp.Replace, knownAtDeploy, false);
    }

    private static bool IsSecretValue(JsonNode? node) => PlanValue.IsSecret(node) || IsStateSecret(node);

    /// <summary>Whether the program's input carries the outputs of exactly the resources the deployed input carried.</summary>
    private static bool SameSources(IReadOnlyList<string> planned, IReadOnlyList<string> deployed, IReadOnlyDictionary<string, IReadOnlySet<string>> knownAs)
    {
        IReadOnlySet<string> Names(string urn) => knownAs.GetValueOrDefault(urn) ?? new HashSet<string>(StringComparer.Ordinal) { urn };
        return planned.All(p => deployed.Any(Names(p).Contains)) && deployed.All(d => planned.Any(p => Names(p).Contains(d)));
    }

    private static bool ContainsUnknown(JsonNode? node) => node switch
    {
        _ when PlanValue.IsUnknown(node) => true,
        JsonObject o => o.Any(kv => ContainsUnknown(kv.Value)),
        JsonArray a => a.Any(ContainsUnknown),
        _ => false,
    };

    /// <summary>
    /// Whether the program's value equals the state's. Secrets are never decrypted: a top-level secret input on both
    /// sides compares by its source (<see cref="SameSources"/>); one nested in an object, as equal; a secret on one
    /// side only is a change.
    /// </summary>
    private static bool SameValue(JsonNode? now, JsonNode? before) => (now, before) switch
    {
        _ when PlanValue.IsSecret(now) || IsStateSecret(now) => IsStateSecret(before) || PlanValue.IsSecret(before),
        _ when IsStateSecret(before) => false,
        (JsonObject a, JsonObject b) => a.Count == b.Count && a.All(kv => b.ContainsKey(kv.Key) && SameValue(kv.Value, b[kv.Key])),
        (JsonArray a, JsonArray b) => a.Count == b.Count && a.Zip(b).All(p => SameValue(p.First, p.Second)),
        (JsonValue a, JsonValue b) when a.TryGetValue<double>(out var x) && b.TryGetValue<double>(out var y) => x == y,
        _ => JsonNode.DeepEquals(now, before),
    };

    /// <summary>A secret as the export records it: Pulumi's signature key with the secret signature, and ciphertext (or plaintext) beside it.</summary>
    public static bool IsStateSecret(JsonNode? node) =>
        node is JsonObject o && o.TryGetPropertyValue(PlanValue.SignatureKey, out var signature) && signature is JsonValue v
        && v.TryGetValue<string>(out var s) && s == PlanValue.SecretSignature;
}
