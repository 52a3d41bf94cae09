using Psoxy.Infra.Configuration;
using Pulumi;
using Pulumi.Testing;

namespace Psoxy.Infra.Planning;

/// <summary>
/// <c>plan</c>: runs the real program in preview mode under built-in mocks, from a stack file, with no network and
/// no credentials, and prints what <c>pulumi up</c> would create and what the Entra admin will be asked to approve.
/// Runs on Pulumi's own test runner and mock monitor (<c>Deployment.TestWithServiceProviderAsync</c>), as a preview.
/// </summary>
internal static class OfflinePlan
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int InvalidConfiguration = 2;

    private const string ProjectName = ConfigKeys.Namespace;

    private const string Usage = """
        usage: dotnet run --project Psoxy.Infra -- plan [--stack NAME | --config-file PATH] [--format FORMAT] [--out DIR]
          --stack NAME        plan the stack file Pulumi.NAME.yaml (default: dev), found beside Pulumi.yaml or in stacks/
          --config-file PATH  plan this stack file instead
          --format FORMAT     text (default), markdown, json or mermaid (the resource graph as a diagram)
          --out DIR           also write the plan and the instructions for the Entra admin and for Worklytics to DIR
        exit codes: 0 planned; 1 the program failed; 2 invalid configuration or arguments (every problem is listed)
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        string? stackName = null;
        string? configFile = null;
        string? outDirectory = null;
        var format = PlanFormat.Text;
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
                case "--out" when i + 1 < args.Count:
                    outDirectory = args[++i];
                    break;
                case "--format" when i + 1 < args.Count && Enum.TryParse<PlanFormat>(args[i + 1], ignoreCase: true, out var parsed) && !int.TryParse(args[i + 1], out _):
                    format = parsed;
                    i++;
                    break;
                case "-h" or "--help":
                    await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
                    return Success;
                default:
                    await stderr.WriteLineAsync($"plan: unexpected argument '{args[i]}'.{Environment.NewLine}{Usage}").ConfigureAwait(false);
                    return InvalidConfiguration;
            }
        }

        stackName ??= configFile is null ? "dev" : ProjectPaths.StackNameOf(configFile);
        var stackFile = configFile ?? ProjectPaths.FindStackFile(ProjectPaths.ProjectDirectory(), stackName);
        if (stackFile is null || !File.Exists(stackFile))
        {
            await stderr.WriteLineAsync($"plan: no stack file {(configFile ?? $"Pulumi.{stackName}.yaml")} (looked beside Pulumi.yaml and in stacks/).").ConfigureAwait(false);
            return InvalidConfiguration;
        }

        var config = StackFile.Load(stackFile, ProjectName);
        StackSettings settings;
        try
        {
            settings = StackSettingsReader.Read(config.PsoxyNamespace, ProviderConfig.From(config.Values));
        }
        catch (InvalidConfigurationException e)
        {
            await stderr.WriteLineAsync($"{Path.GetFileName(stackFile)}: {e.Message}").ConfigureAwait(false);
            return InvalidConfiguration;
        }

        Plan plan;
        try
        {
            plan = await PlanAsync(stackName, DisplayPath(stackFile), config, settings.Warnings).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RunException or AggregateException or InvalidOperationException)
        {
            await stderr.WriteLineAsync($"plan: the program failed: {e.Message}").ConfigureAwait(false);
            return Failure;
        }

        var rendered = PlanFormats.Render(plan, format);
        await stdout.WriteAsync(rendered).ConfigureAwait(false);
        if (outDirectory is not null)
        {
            Directory.CreateDirectory(outDirectory);
            await File.WriteAllTextAsync(Path.Combine(outDirectory, $"plan.{PlanFormats.FileExtension(format)}"), rendered).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(outDirectory, "admin-instructions.md"), plan.AdminInstructions).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(outDirectory, "worklytics-instructions.md"), plan.WorklyticsInstructions).ConfigureAwait(false);
            await stderr.WriteLineAsync($"plan: wrote plan.{PlanFormats.FileExtension(format)}, admin-instructions.md and worklytics-instructions.md to {outDirectory}").ConfigureAwait(false);
        }

        return Success;
    }

    /// <summary>Runs the program in preview mode under <see cref="PlanMocks"/> and builds the plan from what it declared.</summary>
    /// <param name="changes">Transformations applied after the recorder's, to see what a change to the program would plan.</param>
    internal static async Task<Plan> PlanAsync(string stackName, string stackFileLabel, StackFile config, IReadOnlyList<string> warnings,
        IEnumerable<ResourceTransformation>? changes = null)
    {
        config.ExportToEnvironment();
        var mocks = new PlanMocks(config.Values);
        var recorder = new StackRecorder();
        var options = recorder.StackOptions;
        options.ResourceTransformations.AddRange(changes ?? []);
        var resources = await Deployment.TestWithServiceProviderAsync<PsoxyStack>(mocks, new PsoxyStackFactory(options), new TestOptions
        {
            IsPreview = true,
            ProjectName = ProjectName,
            StackName = stackName,
        }).ConfigureAwait(false);
        var stack = resources.OfType<PsoxyStack>().Single();
        return await Plan.BuildAsync(stackName, stackFileLabel, warnings, stack, recorder.Graph(ProjectName, stackName), mocks).ConfigureAwait(false);
    }

    /// <summary>The stack file as the plan names it: relative to the project directory when inside it.</summary>
    private static string DisplayPath(string stackFile)
    {
        var relative = Path.GetRelativePath(ProjectPaths.ProjectDirectory(), Path.GetFullPath(stackFile));
        return relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFileName(stackFile) : relative.Replace('\\', '/');
    }
}
