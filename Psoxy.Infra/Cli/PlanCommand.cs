using System.CommandLine;
using System.Text.RegularExpressions;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Planning.State;
using Pulumi;

namespace Psoxy.Infra.Cli;

/// <summary>What <c>plan</c> was asked to do, once its arguments parsed.</summary>
internal sealed record PlanRequest(string? StackName, string? ConfigFile, PlanFormat Format, string? OutDirectory, bool Compact)
{
    /// <summary>A deployed stack's export (<c>pulumi stack export</c>; <c>-</c> for standard input) to plan the change to.</summary>
    public string? StateFile { get; init; }

    /// <summary>Exit with <see cref="ExitCodes.ChangesFound"/> when the deployed stack would change.</summary>
    public bool ExpectNoChanges { get; init; }
}

/// <summary>
/// <c>plan</c>: previews a stack file offline (no Pulumi CLI, no credentials) and prints what <c>pulumi up</c> would
/// create and what the Entra admin will be asked to approve.
/// </summary>
internal static partial class PlanCommand
{
    public const string DefaultStack = "dev";

    private static readonly string[] Formats = [.. Enum.GetNames<PlanFormat>().Select(f => f.ToLowerInvariant())];

    // Pulumi stack names: letters, digits, hyphens, underscores and periods (optionally org/project/stack).
    [GeneratedRegex(@"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+){0,2}$")]
    private static partial Regex StackNamePattern();

    public static Command Create(CommandOutput output)
    {
        var stack = new Option<string?>("--stack", "-s")
        {
            Description = $"Plan the stack NAME: its stack file Pulumi.NAME.yaml beside Pulumi.yaml or in stacks/ (default: {DefaultStack}).",
            HelpName = "NAME",
        };
        stack.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } name && !StackNamePattern().IsMatch(name))
            {
                result.AddError($"--stack '{name}' is not a stack name: use letters, digits, hyphens, underscores and periods (e.g. dev, prod-eu).");
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

        var state = new Option<string?>("--state")
        {
            Description = "Plan the change to a deployed stack: FILE is its `pulumi stack export` (version 3; - reads standard input). Shows each resource's same/update/replace/create/delete, replacements first.",
            HelpName = "FILE",
        };
        var expectNoChanges = new Option<bool>("--expect-no-changes")
        {
            Description = $"With --state: exit {ExitCodes.ChangesFound} when the deployed stack would change (for CI gates).",
        };

        var command = new Command("plan", "Preview a stack offline: the resources `pulumi up` would create, the outputs and the instructions for the Entra admin. "
            + $"Exit codes: 0 planned; 1 the program failed; 2 invalid configuration, stack file, state or arguments (every problem listed); {ExitCodes.ChangesFound} changes found (with --expect-no-changes).")
        {
            stack, configFile, format, outDirectory, compact, state, expectNoChanges,
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
                parse.GetValue(compact))
            {
                StateFile = parse.GetValue(state),
                ExpectNoChanges = parse.GetValue(expectNoChanges),
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
        if (request.OutDirectory is { } outDirectory && PrepareOutDirectory(outDirectory) is { } outProblem)
        {
            return await FailAsync(output, ExitCodes.InvalidInput, outProblem).ConfigureAwait(false);
        }

        StackFile config;
        StackSettings settings;
        try
        {
            config = StackFile.Load(stackFile, ConfigKeys.Namespace);
            settings = config.ReadSettings();
        }
        catch (StackFileException e)
        {
            return await FailAsync(output, ExitCodes.InvalidInput, e.Message).ConfigureAwait(false);
        }
        catch (InvalidConfigurationException e)
        {
            return await FailAsync(output, ExitCodes.InvalidInput, $"{DisplayPath(stackFile)}: {e.Message}").ConfigureAwait(false);
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
            plan = await OfflinePlan.PlanAsync(stackName, DisplayPath(stackFile), config, settings.Warnings, state: deployed).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RunException or AggregateException)
        {
            var messages = e is AggregateException all ? all.Flatten().InnerExceptions.Select(i => i.Message) : [e.Message];
            return await FailAsync(output, ExitCodes.Failure, $"the program failed: {string.Join(Environment.NewLine, messages.Distinct())}").ConfigureAwait(false);
        }

        var options = new PlanRenderOptions(output.Color, request.Compact);
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

        return StackExport.Read(text, stateFile == "-" ? "(standard input)" : $"'{stateFile}'", ConfigKeys.Namespace, stackName);
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
            if (request.StackName is { } named && fileStack is not null && named != fileStack)
            {
                return null;
            }

            return (request.StackName ?? ProjectPaths.StackNameOf(configFile), configFile);
        }

        var stackName = request.StackName ?? DefaultStack;
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

            return $"--stack '{request.StackName}' and --config-file '{configFile}' name different stacks ('{request.StackName}' and '{ProjectPaths.StackNameInFileName(configFile)}'); give one of them, or a config file of stack '{request.StackName}'.";
        }

        var stackName = request.StackName ?? DefaultStack;
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
