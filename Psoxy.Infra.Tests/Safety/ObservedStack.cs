using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Tests.Testing;
using Pulumi;

namespace Psoxy.Infra.Tests.Safety;

/// <summary>One resource as the program declared it and as the provider received it.</summary>
internal sealed record ObservedResource(
    string Urn,
    string Type,
    string Name,
    bool Custom,
    bool Protect,
    ImmutableDictionary<string, object> Inputs,
    IReadOnlySet<string> SecretInputPaths)
{
    /// <summary>The URNs of the custom resources that must exist first, as the plan computes them from Pulumi's tracking.</summary>
    public IReadOnlySet<string> DependsOn { get; init; } = new HashSet<string>();

    /// <summary>The id the provider gave the resource; null for components and what was never created.</summary>
    public string? Id { get; init; }
}

/// <summary>
/// A whole stack run under <see cref="FakeCloud"/>, observed through a stack transformation: every resource with its
/// inputs, which of them are secret, its options; the stack outputs; and every secret value that exists in the run.
/// </summary>
internal sealed class ObservedStack
{
    private ObservedStack(IReadOnlyList<ObservedResource> resources, JsonObject plainOutputs, IReadOnlyList<string> secretValues, StackRun run,
        IDictionary<string, object> config)
    {
        Config = config;
        Resources = resources;
        PlainOutputs = plainOutputs;
        SecretValues = secretValues;
        Run = run;
    }

    public IReadOnlyList<ObservedResource> Resources { get; }

    /// <summary>The stack outputs that are not secret, as JSON.</summary>
    public JsonObject PlainOutputs { get; }

    /// <summary>Every secret value of the run: configured secrets, generated passwords, private keys.</summary>
    public IReadOnlyList<string> SecretValues { get; }

    public StackRun Run { get; }

    /// <summary>The stack configuration the run used (full keys).</summary>
    public IDictionary<string, object> Config { get; }

    /// <summary>This observation plus <paramref name="extra"/>: for showing that a check catches what no transformation can add.</summary>
    public ObservedStack With(ObservedResource extra) => new([.. Resources, extra], PlainOutputs, SecretValues, Run, Config);

    public IEnumerable<ObservedResource> OfType(string type) => Resources.Where(r => r.Type == type);

    /// <summary>
    /// Runs the stack with <paramref name="config"/> (full keys) and observes it. <paramref name="breaker"/>, a
    /// transformation applied after observation, lets tests break an invariant on purpose.
    /// </summary>
    public static async Task<ObservedStack> ObserveAsync(IDictionary<string, object> config, IEnumerable<string>? secretKeys = null,
        ResourceTransformation? breaker = null, FakeCloud? cloud = null)
    {
        var recorder = new StackRecorder();
        var options = recorder.StackOptions;
        if (breaker is not null)
        {
            options.ResourceTransformations.Add(breaker);
        }

        var run = await StackRun.RunAsync(config, cloud: cloud, secretKeys: secretKeys, stackOptions: options);
        var graph = recorder.Graph(StackRun.ProjectName, StackRun.StackName);
        var registered = run.Cloud.Resources.GroupBy(r => (r.Type, r.Name)).ToDictionary(g => g.Key, g => g.Last().Inputs);
        var resources = new List<ObservedResource>();
        foreach (var declared in graph.Declared)
        {
            var facts = await StackRecorder.InspectInputsAsync(declared.Args);
            resources.Add(new ObservedResource(
                graph.UrnOf(declared),
                declared.Type,
                declared.Name,
                declared.Resource is CustomResource,
                declared.Options.Protect == true,
                registered.GetValueOrDefault((declared.Type, declared.Name)) ?? ImmutableDictionary<string, object>.Empty,
                facts.SecretPaths)
            {
                DependsOn = (await graph.DependenciesAsync(declared, facts)).Select(graph.UrnOf).ToHashSet(),
                Id = run.Cloud.Created.TryGetValue((declared.Type, declared.Name), out var created) ? created.Id : null,
            });
        }

        var secretValues = new List<string>();
        foreach (var key in secretKeys ?? [])
        {
            if (config.TryGetValue(key, out var value) && value is string text)
            {
                secretValues.Add(text);
            }
        }

        secretValues.AddRange(run.Cloud.GeneratedSecrets);
        return new ObservedStack(resources, await PlainOutputsAsync(run.Stack), secretValues, run, config);
    }

    private static async Task<JsonObject> PlainOutputsAsync(PsoxyStack stack)
    {
        var outputs = new JsonObject();
        foreach (var (name, output, valueType) in UntypedOutput.StackOutputs(stack))
        {
            if (!await UntypedOutput.IsSecretAsync(output, valueType))
            {
                var value = await UntypedOutput.GetValueAsync(output, valueType);
                outputs[name] = JsonNode.Parse(JsonSerializer.Serialize(value));
            }
        }

        return outputs;
    }

}
