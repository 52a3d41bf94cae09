using System.Text.Json;
using System.Text.Json.Nodes;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Tests.Testing;
using Pulumi;
using Pulumi.Testing;

namespace Psoxy.Infra.Tests.Planning;

/// <summary>
/// Exports (<c>pulumi stack export</c>, version 3) of the repository's own stacks as <c>pulumi up</c> would leave them:
/// the program run under <see cref="FakeCloud"/> (ids and computed outputs), observed by the plan's recorder (URNs,
/// parents, secret inputs), with the secrets encrypted and default provider resources, as the engine records them.
/// </summary>
internal static class StateExports
{
    /// <summary>What every secret of these exports is encrypted as: no plan may print it.</summary>
    public const string Ciphertext = "v1:c2VjcmV0LWNpcGhlcnRleHQtbmV2ZXItcHJpbnRlZA==";

    public static JsonObject SecretEnvelope() => new() { [PlanValue.SignatureKey] = PlanValue.SecretSignature, ["ciphertext"] = Ciphertext };

    /// <summary>The export of stack <paramref name="stackName"/> deployed from <paramref name="stackFile"/> (relative to the repository root).</summary>
    public static async Task<JsonObject> OfAsync(string stackFile, string stackName, ResourceTransformation? change = null)
    {
        var config = StackFile.Load(Path.Combine(Repository.Root, stackFile), "psoxy");
        config.ExportToEnvironment();
        var cloud = FakeCloud.For(config.Values.ToDictionary(kv => kv.Key, kv => (object)kv.Value));
        var recorder = new StackRecorder();
        var options = recorder.StackOptions;
        if (change is not null)
        {
            options.ResourceTransformations.Add(change);
        }

        await Repository.InRootAsync(async () => await Deployment.TestWithServiceProviderAsync<PsoxyStack>(cloud, new PsoxyStackFactory(options, new StackServices(_ => new FixedIdentities())),
            new TestOptions { IsPreview = false, ProjectName = "psoxy", StackName = stackName }));
        var graph = recorder.Graph("psoxy", stackName);
        var inputs = cloud.Resources.GroupBy(r => (r.Type ?? string.Empty, r.Name ?? string.Empty)).ToDictionary(g => g.Key, g => g.Last().Inputs);
        var generated = cloud.GeneratedSecrets.ToHashSet(StringComparer.Ordinal);
        var resources = new JsonArray { new JsonObject { ["urn"] = graph.StackUrn, ["custom"] = false, ["type"] = StackGraph.StackType } };
        var providers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var declared in graph.Declared)
        {
            var facts = await StackRecorder.InspectInputsAsync(declared.Args);
            var resource = new JsonObject
            {
                ["urn"] = graph.UrnOf(declared),
                ["custom"] = declared.Resource is CustomResource,
                ["type"] = declared.Type,
                ["parent"] = graph.ParentUrnOf(declared),
            };
            if (declared.Options.Protect == true)
            {
                resource["protect"] = true;
            }

            if (declared.Resource is CustomResource)
            {
                var package = declared.Type.Split(':')[0];
                if (!providers.TryGetValue(package, out var provider))
                {
                    provider = $"urn:pulumi:{stackName}::psoxy::pulumi:providers:{package}::default";
                    providers[package] = provider;
                    resources.Add(new JsonObject { ["urn"] = provider, ["custom"] = true, ["id"] = Guid.NewGuid().ToString(), ["type"] = $"pulumi:providers:{package}" });
                }

                var created = cloud.Created.GetValueOrDefault((declared.Type, declared.Name));
                var stateInputs = (JsonObject)Json(inputs.GetValueOrDefault((declared.Type, declared.Name)), generated)!;
                foreach (var path in facts.SecretPaths)
                {
                    Encrypt(stateInputs, path.Split('.'));
                }

                stateInputs["__defaults"] = new JsonArray();
                // As the engine records them: every input, with the resources whose outputs it carried.
                resource["propertyDependencies"] = new JsonObject(graph.PropertyDependencies(facts)
                    .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonArray([.. kv.Value.Select(u => (JsonNode?)JsonValue.Create(u))]))));
                resource["id"] = created.Id;
                resource["inputs"] = stateInputs;
                resource["outputs"] = Json(created.Outputs, generated);
                resource["provider"] = provider + "::" + Guid.NewGuid();
            }

            resources.Add(resource);
        }

        return new JsonObject
        {
            ["version"] = 3,
            ["deployment"] = new JsonObject
            {
                ["manifest"] = new JsonObject { ["time"] = "2026-01-01T00:00:00Z", ["magic"] = "0", ["version"] = "v3.200.0" },
                ["secrets_providers"] = new JsonObject { ["type"] = "passphrase", ["state"] = new JsonObject { ["salt"] = "v1:abc" } },
                ["resources"] = resources,
            },
        };
    }

    /// <summary>The Cognito developer identity each AWS instance got during `pulumi up`: one per pool and client.</summary>
    private sealed class FixedIdentities : Psoxy.Infra.Hosts.Aws.IDeveloperIdentities
    {
        public Output<string> IdentityOf(Output<string> poolId, Output<string> clientId, string developerProviderName) =>
            Output.Tuple(poolId, clientId).Apply(t => $"{t.Item1.Split(':')[0]}:{Guid.NewGuid()}");
    }

    /// <summary>Every resource of <paramref name="export"/>.</summary>
    public static JsonArray Resources(JsonObject export) => (JsonArray)export["deployment"]!["resources"]!;

    /// <summary>The resource of that type and name.</summary>
    public static JsonObject Resource(JsonObject export, string type, string name) =>
        Resources(export).OfType<JsonObject>().Single(r => (string?)r["type"] == type && ((string)r["urn"]!).EndsWith("::" + name, StringComparison.Ordinal));

    public static async Task<string> WriteAsync(JsonObject export)
    {
        var path = Path.Combine(Path.GetTempPath(), $"psoxy-export-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, export.ToJsonString());
        return path;
    }

    private static void Encrypt(JsonObject inputs, ReadOnlySpan<string> path)
    {
        var key = path[0].Replace("[]", string.Empty, StringComparison.Ordinal);
        if (path.Length == 1 || path[0].EndsWith("[]", StringComparison.Ordinal))
        {
            if (inputs.ContainsKey(key))
            {
                inputs[key] = SecretEnvelope();
            }

            return;
        }

        if (inputs[key] is JsonObject nested)
        {
            Encrypt(nested, path[1..]);
        }
    }

    private static JsonNode? Json(object? value, IReadOnlySet<string> secrets) => value switch
    {
        null => null,
        string s when secrets.Contains(s) => SecretEnvelope(),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int or long or double or decimal or float => JsonNode.Parse(JsonSerializer.Serialize(value)),
        System.Collections.IDictionary map => new JsonObject(map.Keys.Cast<object>().Select(k => KeyValuePair.Create(k.ToString()!, Json(map[k], secrets)))),
        System.Collections.IEnumerable items => new JsonArray([.. items.Cast<object?>().Select(i => Json(i, secrets))]),
        _ => JsonValue.Create(value.ToString()),
    };
}
