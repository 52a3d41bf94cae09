using System.Globalization;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Planning;

namespace Psoxy.Infra.Benchmarks;

/// <summary>
/// <c>--counts</c>: per stack (the benchmark's generated stacks, then the repository's stack files), how many resources
/// the offline plan declares and its longest dependency chain, as the Markdown tables in BENCHMARKS.md.
/// </summary>
internal static class Counts
{
    public static async Task<int> RunAsync(TextWriter output)
    {
        await output.WriteLineAsync("### Generated stacks (the benchmark's)");
        await output.WriteLineAsync();
        await WriteHeaderAsync(output);
        var chains = new List<(string Stack, Plan Plan)>();
        foreach (var stack in GeneratedStack.All)
        {
            var plan = await stack.PlanAsync();
            await WriteRowAsync(output, stack.StackName, stack.Host, stack.Connectors.ToString(CultureInfo.InvariantCulture), plan);
            chains.Add((stack.StackName, plan));
        }

        var projectFile = ProjectPaths.ProjectFile();
        if (projectFile is not null)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync("### The repository's stack files");
            await output.WriteLineAsync();
            await WriteHeaderAsync(output);
            var root = Path.GetDirectoryName(projectFile)!;
            foreach (var file in ProjectPaths.StackFiles(root))
            {
                var name = ProjectPaths.StackNameOf(file);
                var config = StackFile.Load(Path.Combine(root, file), ConfigKeys.Namespace);
                var settings = config.ReadSettings();
                var plan = await OfflinePlan.PlanAsync(name, file, config, settings.Warnings);
                await WriteRowAsync(output, $"`{file}`", settings.Host.ToString().ToLowerInvariant(),
                    settings.Connectors.Count.ToString(CultureInfo.InvariantCulture), plan);
                chains.Add((file, plan));
            }
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync("### Longest dependency chain per stack");
        await output.WriteLineAsync();
        await output.WriteLineAsync("Cloud resources `pulumi up` must create one after another (type: name), first to last.");
        await output.WriteLineAsync();
        foreach (var (stack, plan) in chains)
        {
            var byUrn = plan.Resources.ToDictionary(r => r.Urn);
            var steps = plan.LongestChain.Select(urn => byUrn[urn]).Select(r => $"`{r.Type}: {r.Name}`");
            await output.WriteLineAsync($"- {stack} ({plan.LongestChain.Count} steps): {string.Join(" → ", steps)}");
        }

        return 0;
    }

    private static Task WriteHeaderAsync(TextWriter output) => output.WriteLineAsync(
        "| Stack | Host | Connectors | Resources | Cloud resources | Components | Longest chain (steps) |" + Environment.NewLine +
        "|---|---|---:|---:|---:|---:|---:|");

    private static Task WriteRowAsync(TextWriter output, string stack, string host, string connectors, Plan plan)
    {
        var custom = plan.Resources.Count(r => r.Custom);
        return output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"| {stack} | {host} | {connectors} | {plan.Resources.Count} | {custom} | {plan.Resources.Count - custom} | {plan.LongestChain.Count} |"));
    }


}
