using System.Globalization;
using Psoxy.Infra.Configuration;

namespace Psoxy.Infra.Verification;

/// <summary>
/// <c>verify</c>: calls each deployed proxy instance as Worklytics would (health check, then one real call) and
/// reports per connector whether it works, and if not, why and what to do next.
/// </summary>
internal sealed class VerifyCommand(IAuthenticatorFactory authenticators, IStackOutputsSource stackOutputs, TextReader stdin, HttpMessageHandler? handler = null)
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int InvalidInput = 2;

    private const int MaxTimeoutSeconds = 600;

    private const string Usage = """
        usage: dotnet run --project Psoxy.Infra -- verify (--outputs FILE | -s/--stack NAME) [options]
          --outputs FILE          the JSON `pulumi stack output --json --show-secrets` prints; - reads standard input
          -s, --stack NAME        run `pulumi stack output --json --show-secrets --stack NAME` (needs the pulumi CLI)
          --connector ID          check only this connector (repeatable; default: every connector in the outputs)
          --format FORMAT         text (default) or json
          --timeout SECONDS       per request, a cold start included (default: 30)
          --assume-caller-role    AWS: call as the stack's caller role (callerRoleArn), as Worklytics does
          --identity-token TOKEN  GCP: send this ID token instead of one from application default credentials
        exit codes: 0 every checked connector passed; 1 some failed (each line says why and what to do); 2 invalid input
        """;

    /// <summary>The command as the program runs it: real clouds, the pulumi CLI, the console's standard input.</summary>
    public static VerifyCommand CreateDefault() => new(new CloudAuthenticatorFactory(), new PulumiCliOutputsSource(), Console.In);

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args is ["-h" or "--help"])
        {
            await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
            return Success;
        }

        var (options, problem) = ParseArguments(args);
        if (options is null)
        {
            await stderr.WriteLineAsync($"verify: {problem}{Environment.NewLine}{Usage}").ConfigureAwait(false);
            return InvalidInput;
        }

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
            return verdicts.All(v => v.Passed) ? Success : Failure;
        }
        catch (OutputsException e)
        {
            await stderr.WriteLineAsync($"verify: {e.Message}").ConfigureAwait(false);
            return InvalidInput;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("verify: cancelled.").ConfigureAwait(false);
            return Failure;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A report, never a stack trace: whatever the SDKs throw, say what failed and stop.
            await stderr.WriteLineAsync($"verify: failed: {e.Message}").ConfigureAwait(false);
            return Failure;
        }
    }

    private static (VerifyOptions? Options, string? Problem) ParseArguments(IReadOnlyList<string> args)
    {
        var options = new VerifyOptions();
        var connectors = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--assume-caller-role")
            {
                options = options with { AssumeCallerRole = true };
                continue;
            }

            if (name is not ("--outputs" or "-s" or "--stack" or "--connector" or "--format" or "--timeout" or "--identity-token"))
            {
                return (null, $"unexpected argument '{name}'.");
            }

            if (i + 1 >= args.Count)
            {
                return (null, $"{name} needs a value.");
            }

            var value = args[++i];
            switch (name)
            {
                case "--outputs":
                    options = options with { OutputsFile = value };
                    break;
                case "-s" or "--stack":
                    options = options with { StackName = value };
                    break;
                case "--connector":
                    connectors.Add(value);
                    break;
                case "--format" when Enum.TryParse<ReportFormat>(value, ignoreCase: true, out var format) && !int.TryParse(value, out _):
                    options = options with { Format = format };
                    break;
                case "--format":
                    return (null, $"--format must be text or json, not '{value}'.");
                case "--timeout" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= MaxTimeoutSeconds:
                    options = options with { Timeout = TimeSpan.FromSeconds(seconds) };
                    break;
                case "--timeout":
                    return (null, $"--timeout must be a whole number of seconds from 1 to {MaxTimeoutSeconds}, not '{value}'.");
                case "--identity-token" when !string.IsNullOrWhiteSpace(value):
                    options = options with { IdentityToken = value.Trim() };
                    break;
                default:
                    return (null, $"{name} needs a value.");
            }
        }

        if ((options.OutputsFile is null) == (options.StackName is null))
        {
            return (null, "pass exactly one of --outputs FILE and --stack NAME.");
        }

        return (options with { Connectors = connectors }, null);
    }

    private async Task<string> ReadOutputsAsync(VerifyOptions options, CancellationToken ct)
    {
        if (options.StackName is { } stack)
        {
            return await stackOutputs.ReadAsync(stack, ct).ConfigureAwait(false);
        }

        if (options.OutputsFile == "-")
        {
            return await stdin.ReadToEndAsync(ct).ConfigureAwait(false);
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
