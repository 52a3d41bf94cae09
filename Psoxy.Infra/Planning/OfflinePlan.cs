using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Entra;
using Pulumi;
using Pulumi.Testing;
using Pulumi.Utilities;

namespace Psoxy.Infra.Planning;

/// <summary>
/// <c>plan</c>: runs the real program in preview mode under built-in mocks, from a stack file, with no network and
/// no credentials, and prints what <c>pulumi up</c> would create and what the Entra admin will be asked to approve.
/// Uses only Pulumi's public testing API, so it works with the official packages and the offline SDK alike.
/// </summary>
internal static class OfflinePlan
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int InvalidConfiguration = 2;

    private const string ProjectName = ConfigKeys.Namespace;
    private const string KnownAfterDeploy = "(known after deploy)";

    private const string Usage = """
        usage: dotnet run --project Psoxy.Infra -- plan [--stack NAME | --config-file PATH]
          --stack NAME        plan the stack file Pulumi.NAME.yaml (default: dev), found beside Pulumi.yaml or in stacks/
          --config-file PATH  plan this stack file instead
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        string stackName = "dev";
        string? configFile = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--stack" when i + 1 < args.Count:
                    stackName = args[++i];
                    break;
                case "--config-file" when i + 1 < args.Count:
                    configFile = args[++i];
                    break;
                case "-h" or "--help":
                    await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
                    return Success;
                default:
                    await stderr.WriteLineAsync($"plan: unexpected argument '{args[i]}'.{Environment.NewLine}{Usage}").ConfigureAwait(false);
                    return InvalidConfiguration;
            }
        }

        var projectFile = FindProjectFile(Directory.GetCurrentDirectory());
        var stackFile = configFile ?? FindStackFile(projectFile, stackName);
        if (stackFile is null || !File.Exists(stackFile))
        {
            await stderr.WriteLineAsync($"plan: no stack file {(configFile ?? $"Pulumi.{stackName}.yaml")} (looked beside Pulumi.yaml and in stacks/).").ConfigureAwait(false);
            return InvalidConfiguration;
        }

        var config = StackFile.Load(stackFile, projectFile, ProjectName);
        StackSettings settings;
        try
        {
            settings = StackSettingsReader.Read(config.PsoxyNamespace);
        }
        catch (InvalidConfigurationException e)
        {
            await stderr.WriteLineAsync($"{Path.GetFileName(stackFile)}: {e.Message}").ConfigureAwait(false);
            return InvalidConfiguration;
        }

        config.ExportToEnvironment();
        var mocks = new PlanMocks();
        ImmutableArray<Resource> resources;
        try
        {
            resources = await Deployment.TestAsync<PsoxyStack>(mocks, new TestOptions
            {
                IsPreview = true,
                ProjectName = ProjectName,
                StackName = stackName,
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RunException or AggregateException)
        {
            await stderr.WriteLineAsync($"plan: the program failed: {e.Message}").ConfigureAwait(false);
            return Failure;
        }

        await WriteTextAsync(stdout, stackName, stackFile, settings, resources, mocks).ConfigureAwait(false);
        return Success;
    }

    private static async Task WriteTextAsync(TextWriter o, string stackName, string stackFile, StackSettings settings,
        ImmutableArray<Resource> resources, PlanMocks mocks)
    {
        await o.WriteLineAsync($"Plan for stack '{stackName}' ({Path.GetFileName(stackFile)}): a preview under offline mocks; nothing is deployed.").ConfigureAwait(false);
        foreach (var warning in settings.Warnings)
        {
            await o.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        var inputs = mocks.Registered.ToDictionary(a => (a.Type ?? string.Empty, a.Name ?? string.Empty), a => a.Inputs);
        var rows = new List<(string Urn, Resource Resource)>();
        foreach (var resource in resources)
        {
            rows.Add((await OutputUtilities.GetValueAsync(resource.Urn).ConfigureAwait(false), resource));
        }

        await o.WriteLineAsync().ConfigureAwait(false);
        await o.WriteLineAsync($"Resources to create ({rows.Count}):").ConfigureAwait(false);
        foreach (var (urn, resource) in rows.OrderBy(r => r.Urn, StringComparer.Ordinal))
        {
            var depth = TypeChainDepth(urn);
            var indent = new string(' ', 2 + (2 * depth));
            await o.WriteLineAsync($"{indent}+ {resource.GetResourceType()}  {resource.GetResourceName()}").ConfigureAwait(false);
            if (inputs.TryGetValue((resource.GetResourceType(), resource.GetResourceName()), out var args))
            {
                foreach (var (key, value) in args.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    await o.WriteLineAsync($"{indent}      {key}: {Describe(value)}").ConfigureAwait(false);
                }
            }
        }

        var stack = resources.OfType<PsoxyStack>().Single();
        await o.WriteLineAsync().ConfigureAwait(false);
        await o.WriteLineAsync("Outputs:").ConfigureAwait(false);
        await WriteOutputAsync(o, "tenantId", stack.TenantId).ConfigureAwait(false);
        await WriteOutputAsync(o, "connectors", stack.Connectors).ConfigureAwait(false);
        await WriteOutputAsync(o, "adminInstructions", stack.AdminInstructions).ConfigureAwait(false);

        await o.WriteLineAsync().ConfigureAwait(false);
        await o.WriteLineAsync("Admin instructions (application ids are known after deploy):").ConfigureAwait(false);
        await o.WriteLineAsync().ConfigureAwait(false);
        var placeholders = settings.Connectors
            .Select(c => new ApplicationFacts(c, EntraConnection.DisplayNameFor(c, settings.Environment), KnownAfterDeploy, KnownAfterDeploy))
            .ToList();
        await o.WriteLineAsync(AdminInstructions.Render(settings.MsftTenantId, settings.Environment, placeholders, settings.GrantAdminConsent)).ConfigureAwait(false);

        await o.WriteLineAsync("Summary:").ConfigureAwait(false);
        foreach (var group in rows.GroupBy(r => r.Resource.GetResourceType()).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            await o.WriteLineAsync($"  {group.Count(),3} x {group.Key}").ConfigureAwait(false);
        }

        await o.WriteLineAsync($"  {rows.Count,3} resources in all").ConfigureAwait(false);
    }

    private static async Task WriteOutputAsync<T>(TextWriter o, string name, Output<T> output)
    {
        string shown;
        if (!await OutputUtilities.GetIsKnownAsync(output).ConfigureAwait(false))
        {
            shown = KnownAfterDeploy;
        }
        else if (await Output.IsSecretAsync(output).ConfigureAwait(false))
        {
            shown = "[secret]";
        }
        else
        {
            shown = Describe(await OutputUtilities.GetValueAsync(output).ConfigureAwait(false));
        }

        await o.WriteLineAsync($"  {name}: {shown}").ConfigureAwait(false);
    }

    // Readable JSON for a terminal: quotes and non-ASCII text as they are.
    private static readonly JsonSerializerOptions DisplayJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => JsonSerializer.Serialize(s.Length > 100 ? s[..100] + "…" : s, DisplayJson),
        _ => Truncate(JsonSerializer.Serialize(value, DisplayJson)),
    };

    private static string Truncate(string text) => text.Length > 160 ? text[..160] + "…" : text;

    /// <summary>How many ancestors (besides the stack) a resource has, read from its URN's type chain.</summary>
    private static int TypeChainDepth(string urn)
    {
        var parts = urn.Split("::");
        return parts.Length >= 3 ? parts[2].Count(c => c == '$') : 0;
    }

    private static string? FindProjectFile(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Pulumi.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? FindStackFile(string? projectFile, string stackName)
    {
        var root = projectFile is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(projectFile)!;
        var fileName = $"Pulumi.{stackName}.yaml";
        return new[] { Path.Combine(root, fileName), Path.Combine(root, "stacks", fileName) }.FirstOrDefault(File.Exists);
    }
}
