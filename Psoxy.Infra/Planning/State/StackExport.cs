using System.Text.Json;
using System.Text.Json.Nodes;

namespace Psoxy.Infra.Planning.State;

/// <summary>One resource of a deployed stack, as <c>pulumi stack export</c> records it. Secret values stay as the export's encrypted envelopes.</summary>
internal sealed record StateResource(
    string Urn,
    string Type,
    string Name,
    bool Custom,
    string? Id,
    bool Protect,
    JsonObject Inputs,
    JsonObject Outputs,
    IReadOnlyList<string> Aliases)
{
    /// <summary>
    /// Per input, the URNs of the resources whose outputs it carried when deployed (the state's
    /// <c>propertyDependencies</c>); an input absent here came from no resource: from configuration or the program.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> PropertyDependencies { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>A provider resource (default or explicit): never shown as a change.</summary>
    public bool IsProvider => Type.StartsWith("pulumi:providers:", StringComparison.Ordinal);
}

/// <summary>A deployed stack's state, read from <c>pulumi stack export</c> (deployment version 3).</summary>
internal sealed record StackExport(string ProjectName, string StackName, IReadOnlyList<StateResource> Resources)
{
    public const int SupportedVersion = 3;

    /// <summary>
    /// Reads an export of stack <paramref name="stackName"/> of <paramref name="projectName"/>; a
    /// <see cref="StackExportException"/> naming <paramref name="label"/> when it is malformed, of another version or
    /// of another project or stack.
    /// </summary>
    public static StackExport Read(string text, string label, string projectName, string stackName)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 256 }) as JsonObject
                ?? throw new StackExportException($"--state {label}: not a `pulumi stack export` document (expected a JSON object with \"version\" and \"deployment\").");
        }
        catch (JsonException e)
        {
            throw new StackExportException($"--state {label}: not valid JSON ({e.Message}); give the output of `pulumi stack export`.");
        }

        if (root["version"] is not JsonValue versionValue || !versionValue.TryGetValue<int>(out var version))
        {
            throw new StackExportException($"--state {label}: no \"version\"; give the output of `pulumi stack export` (deployment version {SupportedVersion}).");
        }

        if (version != SupportedVersion)
        {
            throw new StackExportException($"--state {label}: deployment version {version} is not supported; only version {SupportedVersion} (what current `pulumi stack export` writes) is. Export it again with a current Pulumi CLI.");
        }

        if (root["deployment"] is not JsonObject deployment)
        {
            throw new StackExportException($"--state {label}: no \"deployment\" object; give the output of `pulumi stack export`.");
        }

        var resources = new List<StateResource>();
        if (deployment["resources"] is JsonArray items)
        {
            foreach (var (item, index) in items.Select((r, i) => (r, i)))
            {
                resources.Add(ResourceOf(item, $"--state {label}: resource {index}"));
            }
        }
        else if (deployment["resources"] is not null)
        {
            throw new StackExportException($"--state {label}: \"deployment.resources\" is not a list.");
        }

        // The stack resource's URN names the project and stack the state belongs to.
        var stackResource = resources.FirstOrDefault(r => r.Type == StackGraph.StackType) ?? resources.FirstOrDefault();
        if (stackResource is null)
        {
            return new StackExport(projectName, stackName, resources);
        }

        var (exportStack, exportProject) = UrnStackAndProject(stackResource.Urn, label);
        var shortStack = stackName.Split('/')[^1];
        if (exportProject != projectName || exportStack != shortStack)
        {
            throw new StackExportException($"--state {label} is an export of stack '{exportStack}' of project '{exportProject}', not of stack '{shortStack}' of project '{projectName}' being planned; export the stack you plan (`pulumi stack export --stack {shortStack}`), or plan --stack {exportStack}.");
        }

        return new StackExport(exportProject, exportStack, resources);
    }

    private static StateResource ResourceOf(JsonNode? node, string where)
    {
        if (node is not JsonObject resource || resource["urn"] is not JsonValue urnValue || !urnValue.TryGetValue<string>(out var urn)
            || resource["type"] is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var type))
        {
            throw new StackExportException($"{where}: every resource needs a \"urn\" and a \"type\" (strings).");
        }

        UrnStackAndProject(urn, where);
        return new StateResource(
            urn,
            type,
            urn[(urn.LastIndexOf("::", StringComparison.Ordinal) + 2)..],
            resource["custom"] is JsonValue c && c.TryGetValue<bool>(out var custom) && custom,
            resource["id"] is JsonValue i && i.TryGetValue<string>(out var id) ? id : null,
            resource["protect"] is JsonValue p && p.TryGetValue<bool>(out var protect) && protect,
            resource["inputs"] as JsonObject ?? [],
            resource["outputs"] as JsonObject ?? [],
            resource["aliases"] is JsonArray aliases ? Strings(aliases) : [])
        {
            PropertyDependencies = resource["propertyDependencies"] is JsonObject byInput
                ? byInput.Where(kv => kv.Value is JsonArray).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)Strings((JsonArray)kv.Value!), StringComparer.Ordinal)
                : new Dictionary<string, IReadOnlyList<string>>(),
        };

        static List<string> Strings(JsonArray values) => [.. values.OfType<JsonValue>().Select(a => a.TryGetValue<string>(out var s) ? s : null).OfType<string>()];
    }

    // urn:pulumi:STACK::PROJECT::QUALIFIED-TYPE::NAME
    private static (string Stack, string Project) UrnStackAndProject(string urn, string where)
    {
        var parts = urn.Split("::");
        if (parts.Length < 4 || !parts[0].StartsWith("urn:pulumi:", StringComparison.Ordinal))
        {
            throw new StackExportException($"{where}: '{urn}' is not a Pulumi URN (urn:pulumi:STACK::PROJECT::TYPE::NAME).");
        }

        return (parts[0]["urn:pulumi:".Length..], parts[1]);
    }
}

/// <summary>A <c>--state</c> file that cannot be planned against: the message names the option, the file and what is expected.</summary>
internal sealed class StackExportException(string message) : Exception(message);
