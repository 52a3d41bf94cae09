using System.CommandLine;
using System.Globalization;
using Psoxy.Infra.Cli;
using Psoxy.Infra.Configuration;

namespace Psoxy.Infra.Verification;

/// <summary>
/// <c>verify</c>: calls each deployed proxy instance as Worklytics would (health check, then one real call) and
/// reports per connector whether it works, and if not, why and what to do next.
/// </summary>
internal sealed class VerifyCommand(IAuthenticatorFactory authenticators, IStackOutputsSource stackOutputs, TextReader stdin, HttpMessageHandler? handler = null)
{
    private const int MaxTimeoutSeconds = 600;

    /// <summary>The command as the program runs it: real clouds, the pulumi CLI, the console's standard input.</summary>
    public static VerifyCommand CreateDefault() => new(new CloudAuthenticatorFactory(), new PulumiCliOutputsSource(), Console.In);

    /// <summary>Runs <c>verify</c> with <paramref name="args"/> (the command line after <c>verify</c>), without colour.</summary>
    public Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        PsoxyCommandLine.RunAsync(["verify", .. args], new CommandOutput(stdout, stderr, Color: false), new CommandServices(this), ct);

    /// <summary>The <c>verify</c> command line.</summary>
    public Command CreateCommand(CommandOutput output)
    {
        var outputsFile = new Option<string?>("--outputs")
        {
            Description = "The JSON `pulumi stack output --json --show-secrets` prints; - reads standard input.",
            HelpName = "FILE",
        };
        var stack = new Option<string?>("--stack", "-s")
        {
            Description = "Run `pulumi stack output --json --show-secrets --stack NAME` (needs the pulumi CLI).",
            HelpName = "NAME",
        };
        stack.Validators.Add(result =>
        {
            // A name Pulumi refuses would only fail later, inside the pulumi CLI.
            if (result.GetValueOrDefault<string?>() is { } name && StackNames.Problem(name, ProjectPaths.ProjectName()) is { } why)
            {
                result.AddError($"--stack '{name}' is not a stack name Pulumi accepts: {why}.");
            }
        });
        var connectors = new Option<string[]>("--connector")
        {
            Description = "Check only this connector (repeatable; default: every connector in the outputs).",
            HelpName = "ID",
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "text (default) or json.",
            HelpName = "FORMAT",
            DefaultValueFactory = _ => "text",
        };
        format.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && (!Enum.TryParse<ReportFormat>(value, ignoreCase: true, out _) || int.TryParse(value, out _)))
            {
                result.AddError($"--format must be text or json, not '{value}'.");
            }
        });
        var timeout = new Option<string?>("--timeout")
        {
            Description = $"Seconds per request, a cold start included (default: {VerifyOptions.DefaultTimeout.TotalSeconds:0}; at most {MaxTimeoutSeconds}).",
            HelpName = "SECONDS",
        };
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && Seconds(value) is null)
            {
                result.AddError($"--timeout must be a whole number of seconds from 1 to {MaxTimeoutSeconds}, not '{value}'.");
            }
        });
        var assumeCallerRole = new Option<bool>("--assume-caller-role")
        {
            Description = "AWS: call as the stack's caller role (callerRoleArn), as Worklytics does.",
        };
        var identityToken = new Option<string?>("--identity-token")
        {
            Description = "GCP: send this ID token instead of one from application default credentials.",
            HelpName = "TOKEN",
        };

        var command = new Command("verify", "Check a deployed stack end to end: per connector, a health check and one real call, as Worklytics makes them, "
            + "with a diagnosis and the next step for each failure. Exit codes: 0 every checked connector passed; 1 some failed; 2 invalid input.")
        {
            outputsFile, stack, connectors, format, timeout, assumeCallerRole, identityToken,
        };
        command.SetAction(async (parse, ct) =>
        {
            if ((parse.GetValue(outputsFile) is null) == (parse.GetValue(stack) is null))
            {
                await output.Error.WriteLineAsync("verify: pass exactly one of --outputs FILE and --stack NAME.").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }

            var options = new VerifyOptions
            {
                OutputsFile = parse.GetValue(outputsFile),
                StackName = parse.GetValue(stack),
                Connectors = parse.GetValue(connectors) ?? [],
                Format = Enum.Parse<ReportFormat>(parse.GetValue(format)!, ignoreCase: true),
                Timeout = parse.GetValue(timeout) is { } seconds ? TimeSpan.FromSeconds(Seconds(seconds)!.Value) : VerifyOptions.DefaultTimeout,
                AssumeCallerRole = parse.GetValue(assumeCallerRole),
                IdentityToken = parse.GetValue(identityToken)?.Trim() is { Length: > 0 } token ? token : null,
            };
            return await RunAsync(options, output.Out, output.Error, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static int? Seconds(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= MaxTimeoutSeconds ? seconds : null;

    /// <summary>Verifies the connectors <paramref name="options"/> name; the report goes to <paramref name="stdout"/>.</summary>
    public async Task<int> RunAsync(VerifyOptions options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            var outputs = OutputsDocument.Parse(await ReadOutputsAsync(options, ct).ConfigureAwait(false));
            var connectors = SelectConnectors(outputs, options);
            CheckOptionsFitTheHost(outputs, options);

            var authenticator = authenticators.Create(outputs, options);
            using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
            // Each request has its own deadline (ProxyClient); the client's own must not cut it shorter.
            http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
            var verifier = new ConnectorVerifier(new ProxyClient(http, authenticator, options.Timeout), authenticator, outputs, options.AssumeCallerRole);

            var verdicts = new List<ConnectorVerdict>();
            foreach (var connector in connectors)
            {
                verdicts.Add(await verifier.VerifyAsync(connector, ct).ConfigureAwait(false));
            }

            await stdout.WriteAsync(VerificationReport.Render(outputs.Host, verdicts, options.Format)).ConfigureAwait(false);
            return verdicts.All(v => v.Passed) ? ExitCodes.Success : ExitCodes.Failure;
        }
        catch (OutputsException e)
        {
            await stderr.WriteLineAsync($"verify: {e.Message}").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("verify: cancelled.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A report, never a stack trace: whatever the SDKs throw, say what failed and stop.
            await stderr.WriteLineAsync($"verify: failed: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private async Task<string> ReadOutputsAsync(VerifyOptions options, CancellationToken ct)
    {
        if (options.StackName is { } stack)
        {
            return await stackOutputs.ReadAsync(stack, ct).ConfigureAwait(false);
        }

        if (options.OutputsFile == "-")
        {
            try
            {
                return await stdin.ReadToEndAsync(ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new OutputsException($"--outputs '-': cannot read standard input ({e.Message}); pipe the outputs in: pulumi stack output --json --show-secrets | ... verify --outputs -");
            }
        }

        if (Directory.Exists(options.OutputsFile))
        {
            throw new OutputsException($"--outputs '{options.OutputsFile}' is a directory; give the file `pulumi stack output --json --show-secrets > outputs.json` wrote.");
        }

        try
        {
            return await File.ReadAllTextAsync(options.OutputsFile!, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OutputsException($"cannot read the outputs file '{options.OutputsFile}': {e.Message}");
        }
    }

    private static List<DeployedConnector> SelectConnectors(DeploymentOutputs outputs, VerifyOptions options)
    {
        if (outputs.Connectors.Count == 0)
        {
            throw new OutputsException("the stack outputs list no connectors: nothing to verify.");
        }

        var deployed = string.Join(", ", outputs.Connectors.Select(c => c.Id));
        var unknown = options.Connectors.Where(id => outputs.Connectors.All(c => c.Id != id)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new OutputsException($"no connector {string.Join(", ", unknown.Select(id => $"'{id}'"))} in this deployment; valid: {deployed}.");
        }

        return options.Connectors.Count == 0
            ? outputs.Connectors.ToList()
            : outputs.Connectors.Where(c => options.Connectors.Contains(c.Id)).ToList();
    }

    private static void CheckOptionsFitTheHost(DeploymentOutputs outputs, VerifyOptions options)
    {
        if (outputs.Host == HostPlatform.Aws && options.IdentityToken is not null)
        {
            throw new OutputsException("--identity-token is for GCP deployments; this one runs on AWS (requests are signed with SigV4).");
        }

        if (outputs.Host == HostPlatform.Gcp && options.AssumeCallerRole)
        {
            throw new OutputsException("--assume-caller-role is for AWS deployments; this one runs on GCP.");
        }

        if (options.AssumeCallerRole && outputs.CallerRoleArn is null)
        {
            throw new OutputsException("--assume-caller-role: the stack outputs have no callerRoleArn.");
        }
    }
}
