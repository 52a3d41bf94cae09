using System.CommandLine;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Planning.State;
using Pulumi;

namespace Psoxy.Infra.Cli;

/// <summary>What <c>plan</c> was asked to do, once its arguments parsed.</summary>
/// <param name="NoInstructions">Text and Markdown: leave out the instructions documents (--out still writes their files).</param>
internal sealed record PlanRequest(string? StackName, string? ConfigFile, PlanFormat Format, string? OutDirectory, bool Compact, bool NoInstructions = false)
{
    /// <summary>Files of opened Pulumi ESC environments (<c>esc env open ENV --format json</c>), merged in order.</summary>
    public IReadOnlyList<string> EnvironmentValues { get; init; } = [];

    /// <summary>A deployed stack's export (<c>pulumi stack export</c>; <c>-</c> for standard input) to plan the change to.</summary>
    public string? StateFile { get; init; }

    /// <summary>Exit with <see cref="ExitCodes.ChangesFound"/> when the deployed stack would change.</summary>
    public bool ExpectNoChanges { get; init; }

    /// <summary>
    /// The Entra object id of who will run <c>pulumi up</c> (what azuread's getClientConfig reports), so that values
    /// derived from it (applications' owners) are known; otherwise they are known only at deploy.
    /// </summary>
    public string? DeployerObjectId { get; init; }
}

/// <summary>
/// <c>plan</c>: previews a stack file offline (no Pulumi CLI, no credentials) and prints what <c>pulumi up</c> would
/// create and what the Entra admin will be asked to approve.
/// </summary>
internal static partial class PlanCommand
{
    public const string DefaultStack = "dev";

    private static readonly string[] Formats = [.. Enum.GetNames<PlanFormat>().Select(f => f.ToLowerInvariant())];

    public static Command Create(CommandOutput output)
    {
        var stack = new Option<string?>("--stack", "-s")
        {
            Description = $"Plan the stack NAME ({StackNames.Forms}): its stack file Pulumi.NAME.yaml beside Pulumi.yaml or in stacks/ (default: {DefaultStack}).",
            HelpName = "NAME",
        };
        stack.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } name && StackNames.Problem(name, ProjectPaths.ProjectName()) is { } why)
            {
                result.AddError($"--stack '{name}' is not a stack name Pulumi accepts: {why}.");
            }
        });
        stack.Validators.Add(result =>
        {
            // A stack file given where its stack's name goes: say which option takes a file.
            if (result.GetValueOrDefault<string?>() is { } name && (name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)))
            {
                var stackName = ProjectPaths.StackNameInFileName(name);
                result.AddError($"--stack '{name}' is a stack file, not a stack name: give the file with -c (--config-file {name}){(stackName is null ? string.Empty : $", or the name with --stack {stackName}")}.");
            }
        });
        var configFile = new Option<string?>("--config-file", "-c")
        {
            Description = "Plan this stack file instead (its stack is NAME for Pulumi.NAME.yaml, unless --stack names it).",
            HelpName = "PATH",
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "text (for a terminal), markdown (for reviews), json (for tools; the shape of `pulumi preview --json`) or mermaid (the resource graph).",
            HelpName = "FORMAT",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong(Formats);
        var outDirectory = new Option<string?>("--out", "-o")
        {
            Description = "Also write the plan, the admin's instructions and the Worklytics instructions to this directory.",
            HelpName = "DIR",
        };
        var compact = new Option<bool>("--compact")
        {
            Description = "Shorten long values to one line each (by default every value is shown whole).",
        };
        var environmentValues = new Option<string[]>("--environment-values")
        {
            Description = "The values of a Pulumi ESC environment the stack imports, as `esc env open ENV --format json` prints them; its pulumiConfig is merged as Pulumi merges it (the stack file's values win). Repeat for several environments, in the stack file's order.",
            HelpName = "FILE",
        };

        var noInstructions = new Option<bool>("--no-instructions")
        {
            Description = "Keep the text and Markdown plans to the resources and outputs, without the admin's and Worklytics instructions (--out still writes them to their files).",
        };

        var state = new Option<string?>("--state")
        {
            Description = "Plan the change to a deployed stack: FILE is its `pulumi stack export` (version 3; - reads standard input). Shows each resource's same/update/replace/create/delete, replacements first.",
            HelpName = "FILE",
        };
        var expectNoChanges = new Option<bool>("--expect-no-changes")
        {
            Description = $"With --state: exit {ExitCodes.ChangesFound} when the deployed stack would change (for CI gates).",
        };

        var deployerObjectId = new Option<string?>("--deployer-object-id")
        {
            Description = "The Entra object id of who will run `pulumi up` (`az ad signed-in-user show --query id -o tsv`, or the service principal's object id), "
                + "so the applications' owners that include the deployer are planned as known; without it they show as known only at deploy.",
            HelpName = "GUID",
        };
        deployerObjectId.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !Guid.TryParse(value, out _))
            {
                result.AddError($"--deployer-object-id '{value}' is not an object id; allowed: a GUID such as 00000000-0000-0000-0000-000000000000 (`az ad signed-in-user show --query id -o tsv`).");
            }
        });

        var command = new Command("plan", "Preview a stack offline: the resources `pulumi up` would create, the outputs and the instructions for the Entra admin. "
            + $"Exit codes: 0 planned; 1 the program failed; 2 invalid configuration, stack file, state or arguments (every problem listed); {ExitCodes.ChangesFound} changes found (with --expect-no-changes).")
        {
            stack, configFile, format, outDirectory, compact, noInstructions, environmentValues, state, expectNoChanges, deployerObjectId,
        };
        command.Validators.Add(result =>
        {
            // Whether each option was given, not its value: a value that failed to parse has its own error.
            if (result.GetResult(state) is null && result.GetResult(expectNoChanges) is not null)
            {
                result.AddError("--expect-no-changes needs --state FILE (the `pulumi stack export` of the deployed stack).");
            }
        });
        command.SetAction((parse, cancellationToken) => RunAsync(
            new PlanRequest(
                parse.GetValue(stack),
                parse.GetValue(configFile),
                Enum.Parse<PlanFormat>(parse.GetValue(format)!, ignoreCase: true),
                parse.GetValue(outDirectory),
                parse.GetValue(compact),
                parse.GetValue(noInstructions))
            {
                EnvironmentValues = parse.GetValue(environmentValues) ?? [],
                StateFile = parse.GetValue(state),
                ExpectNoChanges = parse.GetValue(expectNoChanges),
                DeployerObjectId = parse.GetValue(deployerObjectId)?.ToLowerInvariant(),
            },
            output));
        return command;
    }

    public static async Task<int> RunAsync(PlanRequest request, CommandOutput output)
    {
        if (ResolveStackFile(request) is not { } target)
        {
            return await FailAsync(output, ExitCodes.InvalidInput, StackFileProblem(request)).ConfigureAwait(false);
        }

        var (stackName, stackFile) = target;
        if (ProjectPaths.ProjectFile() is null)
        {
            // Without a project there is no project name (URNs, keys without a namespace) and no directory for
            // relative paths; as the Pulumi CLI, the project is the one the working directory is in.
            var fileProject = ProjectPaths.ProjectFile(Path.GetDirectoryName(Path.GetFullPath(stackFile)));
            return await FailAsync(output, ExitCodes.InvalidInput,
                $"--config-file '{request.ConfigFile}': no {ProjectPaths.ProjectFileName} in the working directory or above it, so there is no Pulumi project (pulumi up needs one too). "
                + (fileProject is null
                    ? $"Run from the project directory (the folder with {ProjectPaths.ProjectFileName}, e.g. your clone of Psoxy.Infra), or put the stack file there."
                    : $"Run from the stack file's project directory, {Path.GetDirectoryName(fileProject)}.")).ConfigureAwait(false);
        }

        if (request.StackName is null && StackNames.Problem(stackName, ProjectPaths.ProjectName()) is { } badName)
        {
            // The name comes from the file's name, which `pulumi up` would refuse as well.
            return await FailAsync(output, ExitCodes.InvalidInput,
                $"--config-file '{request.ConfigFile}': the stack name '{stackName}' taken from the file's name is not a stack name Pulumi accepts: {badName}; rename the file (Pulumi.NAME.yaml) or give the stack with --stack.").ConfigureAwait(false);
        }

        if (request.OutDirectory is { } outDirectory && PrepareOutDirectory(outDirectory) is { } outProblem)
        {
            return await FailAsync(output, ExitCodes.InvalidInput, outProblem).ConfigureAwait(false);
        }

        StackFile? config = null;
        StackSettings settings;
        var warnings = new List<string>();
        try
        {
            config = StackFile.Load(stackFile, ProjectPaths.ProjectName());
            if (request.EnvironmentValues.Count > 0)
            {
                config = config.WithEnvironmentValues(EnvironmentValues.Merge(request.EnvironmentValues.Select(f => EnvironmentValues.Load(f, ProjectPaths.ProjectName())).ToList()));
                if (config.EnvironmentImports.Count == 0)
                {
                    warnings.Add($"--environment-values was given, but {DisplayPath(stackFile)} imports no Pulumi ESC environment (environment:), so `pulumi up` will not see these values.");
                }
            }

            settings = config.ReadSettings();
        }
        catch (Exception e) when (e is StackFileException or EnvironmentValuesException)
        {
            return await FailAsync(output, ExitCodes.InvalidInput, e.Message).ConfigureAwait(false);
        }
        catch (InvalidConfigurationException e) when (request.EnvironmentValues.Count == 0 && config is { EnvironmentImports.Count: > 0 })
        {
            return await UnresolvedEnvironmentsAsync(output, stackName, stackFile, config, e).ConfigureAwait(false);
        }
        catch (InvalidConfigurationException e)
        {
            return await FailAsync(output, ExitCodes.InvalidInput, $"{DisplayPath(stackFile)}: {e.Message}").ConfigureAwait(false);
        }

        if (request.EnvironmentValues.Count == 0 && config.EnvironmentImports.Count > 0)
        {
            warnings.Add(config.UnresolvedEnvironmentsWarning([]));
        }

        DeployedState? deployed = null;
        if (request.StateFile is { } stateFile)
        {
            try
            {
                deployed = new DeployedState(await ReadStateAsync(stateFile, stackName, output).ConfigureAwait(false));
            }
            catch (StackExportException e)
            {
                return await FailAsync(output, ExitCodes.InvalidInput, e.Message).ConfigureAwait(false);
            }
        }

        Plan plan;
        try
        {
            plan = await OfflinePlan.PlanAsync(stackName, DisplayPath(stackFile), config, [.. warnings, .. settings.Warnings], state: deployed, deployerObjectId: request.DeployerObjectId).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RunException or AggregateException)
        {
            var messages = e is AggregateException all ? all.Flatten().InnerExceptions.Select(i => i.Message) : [e.Message];
            return await FailAsync(output, ExitCodes.Failure, $"the program failed: {string.Join(Environment.NewLine, messages.Distinct())}").ConfigureAwait(false);
        }

        var options = new PlanRenderOptions(output.Color, request.Compact, Instructions: !request.NoInstructions);
        if (deployed is not null)
        {
            return await WriteChangesAsync(plan, StateDiff.Compute(plan, deployed.Export), request, options, output).ConfigureAwait(false);
        }

        await output.Out.WriteAsync(PlanFormats.Render(plan, request.Format, options)).ConfigureAwait(false);
        if (request.OutDirectory is { } directory)
        {
            var planFile = $"plan.{PlanFormats.FileExtension(request.Format)}";
            try
            {
                await File.WriteAllTextAsync(Path.Combine(directory, planFile), PlanFormats.Render(plan, request.Format, options with { Color = false })).ConfigureAwait(false);
                await File.WriteAllTextAsync(Path.Combine(directory, "admin-instructions.md"), plan.AdminInstructions).ConfigureAwait(false);
                await File.WriteAllTextAsync(Path.Combine(directory, "worklytics-instructions.md"), plan.WorklyticsInstructions).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return await FailAsync(output, ExitCodes.Failure, $"--out '{directory}': could not write the files: {e.Message}").ConfigureAwait(false);
            }

            await output.Error.WriteLineAsync($"plan: wrote {planFile}, admin-instructions.md and worklytics-instructions.md to {directory}").ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// A stack importing ESC environments whose values were not given: the keys only missing from the stack file are
    /// warned about (an environment may supply them), every other problem still fails. With keys missing there is no
    /// configuration to run the program on, so nothing is planned, and the warning says how to plan.
    /// </summary>
    private static async Task<int> UnresolvedEnvironmentsAsync(CommandOutput output, string stackName, string stackFile, StackFile config, InvalidConfigurationException e)
    {
        // A key not set at all (not a field of an object the stack file sets) may come whole from an environment.
        var missing = e.Problems.Where(p => p.Value is null && !p.Key.Contains('.', StringComparison.Ordinal)).ToList();
        var others = e.Problems.Except(missing).ToList();
        if (others.Count > 0)
        {
            return await FailAsync(output, ExitCodes.InvalidInput,
                $"{DisplayPath(stackFile)}: {InvalidConfigurationException.Describe(others)}{Environment.NewLine}{config.UnresolvedEnvironmentsWarning(missing.Select(p => p.Key).ToList())}").ConfigureAwait(false);
        }

        await output.Out.WriteLineAsync($"Plan for stack '{stackName}' ({DisplayPath(stackFile)}): not planned offline, since the configuration is not complete without its Pulumi ESC environments.").ConfigureAwait(false);
        await output.Out.WriteLineAsync($"warning: {config.UnresolvedEnvironmentsWarning(missing.Select(p => p.Key).ToList())}").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>The export of the deployed stack, from the file or (for <c>-</c>) standard input.</summary>
    private static async Task<StackExport> ReadStateAsync(string stateFile, string stackName, CommandOutput output)
    {
        string text;
        try
        {
            text = stateFile == "-" ? await output.In.ReadToEndAsync().ConfigureAwait(false) : await File.ReadAllTextAsync(stateFile).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new StackExportException($"--state '{stateFile}': cannot read it ({e.Message}).");
        }

        return StackExport.Read(text, stateFile == "-" ? "(standard input)" : $"'{stateFile}'", ProjectPaths.ProjectName(), stackName);
    }

    /// <summary>Writes the change to the deployed stack; with --out, as plan files beside the instructions.</summary>
    private static async Task<int> WriteChangesAsync(Plan plan, IReadOnlyList<PlanStep> steps, PlanRequest request, PlanRenderOptions options, CommandOutput output)
    {
        await output.Out.WriteAsync(StatePlanFormats.Render(plan, steps, request.Format, options)).ConfigureAwait(false);
        if (request.OutDirectory is { } directory)
        {
            var planFile = $"changes.{PlanFormats.FileExtension(request.Format)}";
            try
            {
                await File.WriteAllTextAsync(Path.Combine(directory, planFile), StatePlanFormats.Render(plan, steps, request.Format, options with { Color = false })).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return await FailAsync(output, ExitCodes.Failure, $"--out '{directory}': could not write the files: {e.Message}").ConfigureAwait(false);
            }

            await output.Error.WriteLineAsync($"plan: wrote {planFile} to {directory}").ConfigureAwait(false);
        }

        var changes = steps.Count(s => s.IsChange);
        if (request.ExpectNoChanges && changes > 0)
        {
            await output.Error.WriteLineAsync($"plan: --expect-no-changes: `pulumi up` would make {changes} change(s) to stack '{plan.StackName}' (listed above).").ConfigureAwait(false);
            return ExitCodes.ChangesFound;
        }

        return ExitCodes.Success;
    }

    /// <summary>The stack's name and file, or null when they cannot be found or contradict each other.</summary>
    private static (string StackName, string StackFile)? ResolveStackFile(PlanRequest request)
    {
        if (request.ConfigFile is { } configFile)
        {
            if (!File.Exists(configFile))
            {
                return null;
            }

            var fileStack = ProjectPaths.StackNameInFileName(configFile);
            if (request.StackName is { } named && fileStack is not null && StackNames.Short(named) != fileStack)
            {
                return null;
            }

            return (request.StackName is { } given ? StackNames.Short(given) : ProjectPaths.StackNameOf(configFile), configFile);
        }

        // org/project/stack: the stack file is named after the stack itself, as Pulumi names it.
        var stackName = StackNames.Short(request.StackName ?? DefaultStack);
        return ProjectPaths.FindStackFile(ProjectPaths.ProjectDirectory(), stackName) is { } found ? (stackName, found) : null;
    }

    /// <summary>Why <see cref="ResolveStackFile"/> found nothing, naming the option and the value.</summary>
    private static string StackFileProblem(PlanRequest request)
    {
        if (request.ConfigFile is { } configFile)
        {
            if (Directory.Exists(configFile))
            {
                return $"--config-file '{configFile}' is a directory; give a stack file (Pulumi.NAME.yaml).";
            }

            if (!File.Exists(configFile))
            {
                return $"--config-file '{configFile}': no such file.";
            }

            return $"--stack '{request.StackName}' and --config-file '{configFile}' name different stacks ('{StackNames.Short(request.StackName!)}' and '{ProjectPaths.StackNameInFileName(configFile)}'); give one of them, or a config file of stack '{StackNames.Short(request.StackName!)}'.";
        }

        var stackName = StackNames.Short(request.StackName ?? DefaultStack);
        var known = ProjectPaths.StackFiles(ProjectPaths.ProjectDirectory()).Select(ProjectPaths.StackNameOf).ToList();
        var where = ProjectPaths.ProjectFile() is null
            ? $"no {ProjectPaths.ProjectFileName} here or above: run from the project directory, or use --config-file"
            : known.Count == 0 ? "there are no stack files" : $"the stacks here are: {string.Join(", ", known)}";
        return $"--stack '{stackName}': no stack file Pulumi.{stackName}.yaml beside {ProjectPaths.ProjectFileName} or in {ProjectPaths.StacksFolder}/ ({where}).";
    }

    /// <summary>Creates the output directory; the problem, naming --out, when it cannot be one.</summary>
    private static string? PrepareOutDirectory(string directory)
    {
        if (File.Exists(directory))
        {
            return $"--out '{directory}' is a file; give a directory to write the plan files into.";
        }

        try
        {
            Directory.CreateDirectory(directory);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"--out '{directory}': cannot create the directory ({e.Message}).";
        }
    }

    private static async Task<int> FailAsync(CommandOutput output, int exitCode, string message)
    {
        await output.Error.WriteLineAsync($"plan: {message}").ConfigureAwait(false);
        return exitCode;
    }

    /// <summary>The stack file as the plan names it: relative to the project directory when inside it.</summary>
    private static string DisplayPath(string stackFile)
    {
        var relative = Path.GetRelativePath(ProjectPaths.ProjectDirectory(), Path.GetFullPath(stackFile));
        return relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFileName(stackFile) : relative.Replace('\\', '/');
    }
}
