using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Psoxy.Infra.Planning.State;

/// <summary>A deployed resource as the plan's mocks answer with it: its id and its outputs as wire values.</summary>
internal sealed record DeployedResource(string? Id, ImmutableDictionary<string, object> Outputs);

/// <summary>
/// What the plan knows of a deployed stack, its export, for the mocks to answer as a preview of that stack would.
/// </summary>
internal sealed class DeployedState(StackExport export)
{
    private readonly Dictionary<(string Type, string Name), StateResource> _byTypeAndName = export.Resources
        .Where(r => r.Custom && !r.IsProvider)
        .GroupBy(r => (r.Type, r.Name))
        .ToDictionary(g => g.Key, g => g.First());

    private readonly Dictionary<string, StateResource> _byUrn = export.Resources
        .Where(r => r.Custom && !r.IsProvider)
        .GroupBy(r => r.Urn, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public StackExport Export => export;

    /// <summary>The deployed resource of that type and name, if any (the program declares each type and name once).</summary>
    public DeployedResource? Find(string type, string name) =>
        _byTypeAndName.TryGetValue((type, name), out var r) ? Deployed(r) : null;

    /// <summary>The deployed resource at one of <paramref name="urns"/> (a renamed resource's aliases), if any.</summary>
    public DeployedResource? FindAny(IEnumerable<string> urns) =>
        urns.Select(u => _byUrn.GetValueOrDefault(u)).FirstOrDefault(r => r is not null) is { } r ? Deployed(r) : null;

    private static DeployedResource Deployed(StateResource r) =>
        new(r.Id, [.. r.Outputs.Where(kv => kv.Value is not null).Select(kv => KeyValuePair.Create(kv.Key, Wire(kv.Value)))]);

    /// <summary>
    /// A state value as a wire value. A secret stays encrypted: the program gets its ciphertext, marked secret by the
    /// resource's own secret outputs, and the plan masks every secret it shows.
    /// </summary>
    private static object Wire(JsonNode? node) => node switch
    {
        null => null!,
        _ when StateDiff.IsStateSecret(node) => node["ciphertext"]?.ToString() ?? string.Empty,
        JsonObject o => o.ToImmutableDictionary(kv => kv.Key, kv => Wire(kv.Value)),
        JsonArray a => a.Select(Wire).ToImmutableArray(),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        _ => node.ToString(),
    };
}
