using System.Text.Json;
using System.Text.Json.Nodes;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Tests.Safety;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Planning;

/// <summary>
/// What a reviewer reads is what <c>pulumi up</c> sends: every input the program sets, on every resource, appears in
/// the text, Markdown and JSON plans, its known parts shown. The inputs come from a deployment run under
/// <see cref="FakeCloud"/> (every value known), independent of how the plan gathers them.
/// </summary>
public sealed class PlanCompletenessTests
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TheoryData<string> Stacks => [.. Repository.StackFiles, "gcp/federated", "gcp/certificate", "aws/federated", "aws/certificate", "gcp/federated/local-bundle", "aws/federated/local-bundle"];

    [Theory]
    [MemberData(nameof(Stacks))]
    public async Task EveryDeclaredInput_AppearsInEveryFormat(string stack)
    {
        var file = ConfigOf(stack);
        var observed = await SafetyRun.ObserveAsync(file.Values.ToDictionary(kv => kv.Key, kv => (object)kv.Value), file.SecretKeys);
        var plan = await Repository.InRootAsync(() => OfflinePlan.PlanAsync("test", stack, file, []));
        var json = JsonNode.Parse(PlanFormats.Render(plan, PlanFormat.Json))!["steps"]!.AsArray()
            .ToDictionary(s => (s!["type"]!.GetValue<string>(), s["newState"]!["urn"]!.GetValue<string>().Split("::")[^1]), s => s!["newState"]!["inputs"]!.AsObject());
        var text = PlanFormats.Render(plan, PlanFormat.Text).Split('\n');
        var markdown = PlanFormats.Render(plan, PlanFormat.Markdown).Split('\n');

        var problems = new List<string>();
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in observed.Resources.Where(r => r.Custom))
        {
            types.Add(resource.Type);
            var inputs = (JsonObject)Plan.ToJson(resource.Inputs)!;
            if (!json.TryGetValue((resource.Type, resource.Name), out var planned))
            {
                problems.Add($"{resource.Type} {resource.Name}: not in the JSON plan");
                continue;
            }

            var textBlock = Block(text, l => l.Contains($"+ {resource.Type}  {resource.Name}", StringComparison.Ordinal),
                line => line.TrimStart().StartsWith("+ ", StringComparison.Ordinal));
            var markdownBlock = Block(markdown, l => l.Contains($"- **{resource.Name}", StringComparison.Ordinal) && l.Contains($"`{resource.Type}`", StringComparison.Ordinal),
                line => line.TrimStart().StartsWith("- **", StringComparison.Ordinal) || line.StartsWith('#'));
            foreach (var (path, value) in Leaves(inputs, []))
            {
                var label = $"{resource.Type} {resource.Name} {string.Join('.', path)}";
                // The input as the JSON plan has it: the value itself, or a marker (unknown, secret) on the way to it.
                var shown = (JsonNode?)planned;
                var shownPath = new List<string>();
                foreach (var segment in path)
                {
                    if (PlanValue.IsUnknown(shown) || PlanValue.IsSecret(shown))
                    {
                        break;
                    }

                    shown = shown switch
                    {
                        JsonObject o when o.TryGetPropertyValue(segment, out var member) => member ?? JsonValue.Create("null"),
                        JsonArray a when int.TryParse(segment, out var i) && i < a.Count => a[i],
                        _ => null,
                    };
                    shownPath.Add(segment);
                    if (shown is null)
                    {
                        break;
                    }
                }

                if (shown is null)
                {
                    problems.Add($"{label}: missing from the JSON plan");
                    continue;
                }

                if (!PlanValue.IsUnknown(shown) && !PlanValue.IsSecret(shown) && shownPath.Count == path.Count && !JsonNode.DeepEquals(shown, value))
                {
                    problems.Add($"{label}: JSON plan shows {shown.ToJsonString()}, the program sets {value?.ToJsonString()}");
                }

                // People's formats name each key down to the value or marker the JSON plan shows.
                var key = shownPath.LastOrDefault(s => !int.TryParse(s, out _));
                if (key is null)
                {
                    continue;
                }

                var asTopLevel = shownPath.Count(s => !int.TryParse(s, out _)) == 1;
                bool Names(IReadOnlyList<string> block) => block.Any(line => asTopLevel
                    ? line.TrimStart().StartsWith(key + ":", StringComparison.Ordinal)
                    : line.Contains(JsonSerializer.Serialize(key) + ":", StringComparison.Ordinal) || line.Contains(JsonSerializer.Serialize(key, Readable) + ":", StringComparison.Ordinal));
                if (!Names(textBlock))
                {
                    problems.Add($"{label}: the text plan does not show {key}");
                }

                if (!Names(markdownBlock))
                {
                    problems.Add($"{label}: the Markdown plan does not show {key}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems.Distinct().Take(60)));
        Assert.NotEmpty(types);
    }

    [Fact]
    public async Task DevStack_ShowsTheFunctionsRuntimeBundleMemoryTimeoutInstancesAndIngressInEveryFormat()
    {
        string[] expected =
        [
            "runtime", "java", "entryPoint", "co.worklytics.psoxy.Route", "storageSource", "psoxy-public-artifacts", "psoxy-gcp-0.6.9.zip",
            "dockerRepository", "repositories/dev-psoxy-functions", "availableMemory", "timeoutSeconds", "maxInstanceCount", "ingressSettings", "ALLOW_ALL",
        ];
        foreach (var format in new[] { "text", "markdown", "json" })
        {
            var (exit, stdout, stderr) = await CommandRun.RunAsync("plan", "--format", format);
            Assert.True(exit == 0, stderr);
            var start = stdout.IndexOf(format == "text" ? "Function  msft-entra-id-function" : "- **msft-entra-id-function**", StringComparison.Ordinal);
            var function = format == "json"
                ? JsonNode.Parse(stdout)!["steps"]!.AsArray().First(s => s!["type"]!.GetValue<string>() == "gcp:cloudfunctionsv2/function:Function")!["newState"]!["inputs"]!.ToJsonString()
                : stdout[start..stdout.IndexOf("msft-entra-id-invokers", start, StringComparison.Ordinal)];
            Assert.All(expected, e => Assert.Contains(e, function, StringComparison.Ordinal));
        }
    }

    /// <summary>A stack file of the repository, or every connector on a host with an auth mode (<c>aws/certificate</c>), optionally from a local bundle.</summary>
    private static StackFile ConfigOf(string stack)
    {
        if (stack.Split('/') is [var host, var auth, .. var rest] && host is "aws" or "gcp")
        {
            var config = SecurityInvariantTests.AllConnectors(host, auth, protect: true);
            if (rest is ["local-bundle"])
            {
                // A bundle of one's own: uploaded to a bucket the stack creates.
                var bundle = Path.Combine(Path.GetTempPath(), $"psoxy-{host}-0.6.9-completeness.{(host == "aws" ? "jar" : "zip")}");
                File.WriteAllBytes(bundle, [0x50, 0x4b, 0x05, 0x06, 1, 2, 3]);
                ((Dictionary<string, object>)config[$"psoxy:{host}"])["deploymentBundle"] = bundle;
            }

            return StackFile.FromValues(config.ToDictionary(kv => kv.Key, kv => kv.Value as string ?? JsonSerializer.Serialize(kv.Value)));
        }

        return StackFile.Load(Path.Combine(Repository.Root, stack), "psoxy");
    }

    /// <summary>The lines of one resource in a rendered plan: from its heading to the next resource's.</summary>
    private static List<string> Block(string[] lines, Predicate<string> isHeading, Func<string, bool> isNextHeading)
    {
        var start = Array.FindIndex(lines, isHeading);
        Assert.True(start >= 0, "a resource without a heading");
        return [.. lines.Skip(start + 1).TakeWhile(l => !isNextHeading(l))];
    }

    /// <summary>Every value inside <paramref name="node"/> with its path (object keys, list indexes); empty objects and lists are values.</summary>
    private static IEnumerable<(List<string> Path, JsonNode? Value)> Leaves(JsonNode? node, List<string> path) => node switch
    {
        JsonObject o when o.Count > 0 => o.SelectMany(kv => Leaves(kv.Value, [.. path, kv.Key])),
        JsonArray a when a.Count > 0 => a.SelectMany((item, i) => Leaves(item, [.. path, i.ToString(System.Globalization.CultureInfo.InvariantCulture)])),
        _ => [(path, node)],
    };
}
