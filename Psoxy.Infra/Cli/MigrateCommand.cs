using System.CommandLine;
using System.Text.RegularExpressions;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Migration;
using Psoxy.Infra.Planning;
using Pulumi;

namespace Psoxy.Infra.Cli;

/// <summary>What <c>migrate</c> was asked to do.</summary>
/// <param name="StateFile">The <c>terraform show -json</c> output, or <c>-</c> for standard input.</param>
/// <param name="Force">Replace files of an earlier run in the output directory (without it, any is refused).</param>
internal sealed record MigrateRequest(string StateFile, string Environment, string OutDirectory, bool InPlace, bool Force = false);

/// <summary>
/// <c>migrate</c>: reads a Psoxy Terraform deployment's state and writes the stack file, the import file and the
/// hand-off that move it to this program, side by side or in place. Offline; never writes or prints a secret.
/// </summary>
internal static partial class MigrateCommand
{
    public const string ImportFileName = "import.json";
    public const string HandoffFileName = "MIGRATION.md";

    [GeneratedRegex("^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$")]
    private static partial Regex EnvironmentPattern();

    public static Command Create(CommandOutput output, TextReader? standardInput = null)
    {
        var state = new Option<string>("--terraform-state")
        {
            Description = "The output of `terraform show -json` in the Terraform root of a Psoxy 0.5 or 0.6 deployment (AWS or GCP, with Microsoft 365 connectors); - reads standard input.",
            HelpName = "FILE",
            Required = true,
        };
        var environment = new Option<string>("--environment")
        {
            Description = "The new stack's name and psoxy:environment (side by side: other than Terraform's; in place: the same, so names match).",
            HelpName = "NAME",
            Required = true,
        };
        environment.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } name && (name.Length > StackSettingsReader.MaxEnvironmentLength || !EnvironmentPattern().IsMatch(name)))
            {
                result.AddError($"--environment '{name}': use 1 to {StackSettingsReader.MaxEnvironmentLength} lowercase letters, digits and single hyphens, starting with a letter (e.g. psoxy, prod-eu).");
            }
        });
        var outDirectory = new Option<string>("--out", "-o")
        {
            Description = "Where to write Pulumi.NAME.yaml, import.json and MIGRATION.md (default: the current directory).",
            HelpName = "DIR",
            DefaultValueFactory = _ => ".",
        };
        var inPlace = new Option<bool>("--in-place")
        {
            Description = "Also adopt the functions, URLs, roles, log groups, parameters, APIs and invoker bindings whose names match, not Terraform's shared identity pool: each connector gets its own (default: side by side, adopting only the Entra applications).",
        };

        var force = new Option<bool>("--force")
        {
            Description = "Replace Pulumi.NAME.yaml, import.json, MIGRATION.md and custom-rules/*.yaml if they exist in the output directory (default: refuse, naming them; a stack file may hold secure: secrets).",
        };

        var command = new Command("migrate", "Move a Psoxy Terraform deployment to this program: writes the stack file, the custom rules files, the import file (in place) and MIGRATION.md, the steps in order. "
            + "Exit codes: 0 written; 1 the program failed; 2 invalid or incomplete state or arguments (what was found and what is missing listed).")
        {
            state, environment, outDirectory, inPlace, force,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new MigrateRequest(parse.GetValue(state)!, parse.GetValue(environment)!, parse.GetValue(outDirectory)!, parse.GetValue(inPlace), parse.GetValue(force)),
            output,
            standardInput ?? Console.In));
        return command;
    }

    public static async Task<int> RunAsync(MigrateRequest request, CommandOutput output, TextReader standardInput)
    {
        string json;
        try
        {
            json = request.StateFile == "-"
                ? await standardInput.ReadToEndAsync().ConfigureAwait(false)
                : Directory.Exists(request.StateFile)
                    ? throw new MigrationInputException($"--terraform-state '{request.StateFile}' is a directory; give the file `terraform show -json > state.json` wrote.")
                    : await File.ReadAllTextAsync(request.StateFile).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return await FailAsync(output, ExitCodes.InvalidInput, $"--terraform-state '{request.StateFile}': no such file. Write it with `terraform show -json > state.json` in the Terraform root.").ConfigureAwait(false);
        }
        catch (MigrationInputException e)
        {
            return await FailAsync(output, ExitCodes.InvalidInput, e.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return await FailAsync(output, ExitCodes.InvalidInput, $"--terraform-state '{request.StateFile}': cannot read it ({e.Message}){(request.StateFile == "-" ? "; pipe the state in: terraform show -json | ... --terraform-state -" : string.Empty)}.").ConfigureAwait(false);
        }

        if (request.StateFile == "-" && string.IsNullOrWhiteSpace(json))
        {
            return await FailAsync(output, ExitCodes.InvalidInput, "--terraform-state '-': standard input was empty; pipe the state in: terraform show -json | ... --terraform-state -").ConfigureAwait(false);
        }

        PsoxyDeployment deployment;
        try
        {
            deployment = PsoxyDeploymentReader.Read(TerraformState.Parse(json));
        }
        catch (MigrationInputException e)
        {
            return await FailAsync(output, ExitCodes.InvalidInput, e.Message).ConfigureAwait(false);
        }

        if (!request.InPlace && request.Environment == deployment.EnvironmentId)
        {
            return await FailAsync(output, ExitCodes.InvalidInput,
                $"--environment '{request.Environment}' is Terraform's environment id: side by side, the new functions and roles would have the same names as Terraform's ({deployment.Connectors[0].FunctionName}...). "
                + "Give another name, or add --in-place to adopt Terraform's resources instead.").ConfigureAwait(false);
        }

        if (File.Exists(request.OutDirectory))
        {
            return await FailAsync(output, ExitCodes.InvalidInput, $"--out '{request.OutDirectory}' is a file; give a directory.").ConfigureAwait(false);
        }

        var stackFileName = $"Pulumi.{request.Environment}.yaml";
        var stackFile = Path.Combine(request.OutDirectory, stackFileName);
        // Nothing is replaced by surprise: a stack file may hold secure: secrets, MIGRATION.md a user's notes.
        var rulesFiles = deployment.Behaviour.CustomRules.Select(r => r.File).ToList();
        var existing = new[] { stackFileName, ImportFileName, HandoffFileName }.Concat(rulesFiles).Where(f => File.Exists(Path.Combine(request.OutDirectory, f))).ToList();
        if (existing.Count > 0 && !request.Force)
        {
            return await FailAsync(output, ExitCodes.InvalidInput,
                $"--out '{request.OutDirectory}' already holds {string.Join(", ", existing)}; nothing was written. Give another --out directory, or add --force to replace {(existing.Count == 1 ? "it" : "them")}.").ConfigureAwait(false);
        }

        // The stack file is planned before anything is written, from a scratch copy: a state that cannot be migrated leaves the directory as it was.
        var stackFileText = StackFileWriter.Render(deployment, request.Environment, request.InPlace);
        var scratch = Directory.CreateTempSubdirectory("psoxy-migrate-");
        Plan plan;
        try
        {
            var scratchFile = Path.Combine(scratch.FullName, stackFileName);
            // The rules files beside it, named by absolute path: the plan resolves relative ones against the project directory.
            await WriteRulesAsync(deployment, scratch.FullName).ConfigureAwait(false);
            await File.WriteAllTextAsync(scratchFile, StackFileWriter.Render(deployment, request.Environment, request.InPlace, r => Path.Combine(scratch.FullName, r.File))).ConfigureAwait(false);
            var config = StackFile.Load(scratchFile, ConfigKeys.Namespace);
            var settings = config.ReadSettings();
            // The program's own plan of the stack file names and places every resource: imports follow it, whatever it declares.
            plan = await OfflinePlan.PlanAsync(request.Environment, stackFileName, config, settings.Warnings).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StackFileException or InvalidConfigurationException)
        {
            return await FailAsync(output, ExitCodes.Failure, $"the stack file written from this state does not validate (a bug, please report it with the message): {e.Message}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is RunException or AggregateException)
        {
            var messages = e is AggregateException all ? all.Flatten().InnerExceptions.Select(i => i.Message) : [e.Message];
            return await FailAsync(output, ExitCodes.Failure, $"planning the written stack file failed: {string.Join(Environment.NewLine, messages.Distinct())}").ConfigureAwait(false);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }

        var adoption = request.InPlace ? ImportFileWriter.Match(plan, deployment) : new Adoption([], [], []);
        var importFile = request.InPlace && adoption.Entries.Count > 0 ? ImportFileName : null;
        var stateLabel = request.StateFile == "-" ? "state.json" : request.StateFile;
        var written = new List<string> { stackFileName };
        try
        {
            Directory.CreateDirectory(request.OutDirectory);
            await File.WriteAllTextAsync(stackFile, stackFileText).ConfigureAwait(false);
            await WriteRulesAsync(deployment, request.OutDirectory).ConfigureAwait(false);
            written.AddRange(rulesFiles);
            var stale = Path.Combine(request.OutDirectory, ImportFileName);
            if (importFile is not null)
            {
                await File.WriteAllTextAsync(stale, ImportFileWriter.Render(adoption.Entries)).ConfigureAwait(false);
                written.Add(ImportFileName);
            }
            else if (File.Exists(stale))
            {
                // Left from an earlier run: importing it now would be wrong.
                File.Delete(stale);
            }

            await File.WriteAllTextAsync(Path.Combine(request.OutDirectory, HandoffFileName),
                HandoffWriter.Render(deployment, adoption, new HandoffOptions(request.Environment, request.InPlace, stateLabel, stackFileName, importFile))).ConfigureAwait(false);
            written.Add(HandoffFileName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return await FailAsync(output, ExitCodes.Failure, $"--out '{request.OutDirectory}': could not write the files: {e.Message}").ConfigureAwait(false);
        }

        var behaviour = deployment.Behaviour;
        var carried = new List<string>();
        if (behaviour.CustomRules.Count > 0)
        {
            carried.Add($"custom rules of {string.Join(", ", behaviour.CustomRules.Select(r => r.ConnectorId))}");
        }

        if (behaviour.AllowedDataAccessIpBlocks is { Count: > 0 } blocks)
        {
            carried.Add($"IP allowlist ({blocks.Count} block{(blocks.Count == 1 ? string.Empty : "s")})");
        }

        if (behaviour.EnvironmentVariables.Count > 0)
        {
            carried.Add($"environment variables {string.Join(", ", behaviour.EnvironmentVariables.Keys.Order(StringComparer.Ordinal))}");
        }

        await output.Error.WriteLineAsync(
            $"migrate: Psoxy {deployment.Version} on {(deployment.Host == HostPlatform.Aws ? "AWS" : "GCP")}, {deployment.Connectors.Count} connectors ({string.Join(", ", deployment.Connectors.Select(c => c.Spec.Id))}), "
            + $"{(request.InPlace ? $"in place: {adoption.Adopted.Count} resources to import" : "side by side")}; "
            + (carried.Count > 0 ? $"carried over: {string.Join("; ", carried)}; " : string.Empty)
            + (behaviour.NotCarried.Count > 0 ? $"NOT carried over ({behaviour.NotCarried.Count}, see {HandoffFileName}, risks): {string.Join(", ", behaviour.NotCarried.Distinct(StringComparer.Ordinal))}; " : string.Empty)
            + $"wrote {string.Join(", ", written)} to {request.OutDirectory}. "
            + $"Next: {HandoffFileName}, step 1.").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>Each connector's custom rules, as the deployment served them, under <paramref name="directory"/> (UTF-8, no BOM: the same SHA-1).</summary>
    private static async Task WriteRulesAsync(PsoxyDeployment deployment, string directory)
    {
        foreach (var rules in deployment.Behaviour.CustomRules)
        {
            var path = Path.Combine(directory, rules.File);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, rules.Yaml, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)).ConfigureAwait(false);
        }
    }

    private static async Task<int> FailAsync(CommandOutput output, int exitCode, string message)
    {
        await output.Error.WriteLineAsync($"migrate: {message}").ConfigureAwait(false);
        return exitCode;
    }
}
