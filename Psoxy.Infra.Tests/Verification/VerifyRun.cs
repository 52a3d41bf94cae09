using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Verification;
using static Psoxy.Infra.Tests.Hosts.Aws.CognitoDeveloperIdentityClientTests;

namespace Psoxy.Infra.Tests.Verification;

/// <summary>Runs <c>verify</c> against a <see cref="FakeProxy"/>, with fixed credentials instead of the clouds'.</summary>
internal static class VerifyRun
{
    public const string TenantId = "6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10";
    public const string CallerRoleArn = "arn:aws:iam::123456789012:role/testCaller";
    public const string CallerUserArn = "arn:aws:iam::123456789012:user/tester";
    public const string GcpProjectId = "psoxy-test";

    public static string AdminConsentUrlOf(string connectorId) => $"https://login.microsoftonline.com/{TenantId}/adminconsent?client_id={ClientIdOf(connectorId)}";

    public static string ClientIdOf(string connectorId) => $"client-of-{connectorId}";

    /// <summary>The stack outputs as <c>pulumi stack output --json --show-secrets</c> prints them, pointing at the fake.</summary>
    public static string Outputs(HostPlatform host, FakeProxy proxy, params string[] connectorIds)
    {
        var connectors = new JsonObject();
        foreach (var id in connectorIds)
        {
            connectors[id] = new JsonObject
            {
                ["displayName"] = $"Psoxy test {id}",
                ["clientId"] = ClientIdOf(id),
                ["applicationObjectId"] = $"object-of-{id}",
                ["applicationId"] = $"/applications/object-of-{id}",
                ["requiredAppRoles"] = new JsonArray("User.Read.All"),
                ["adminConsentUrl"] = AdminConsentUrlOf(id),
                ["permissionsPageUrl"] = $"https://entra.microsoft.com/#view/permissions/appId/{ClientIdOf(id)}",
                ["endpointUrl"] = proxy.EndpointOf(id).AbsoluteUri,
            };
        }

        var outputs = new JsonObject
        {
            ["tenantId"] = TenantId,
            ["connectors"] = connectors,
            ["adminInstructions"] = "# ...",
            ["worklyticsInstructions"] = "# ...",
            ["callerRoleArn"] = host == HostPlatform.Aws ? CallerRoleArn : null,
            ["awsRegion"] = host == HostPlatform.Aws ? FakeProxy.Region : null,
            ["gcpProjectId"] = host == HostPlatform.Gcp ? GcpProjectId : null,
            ["saltSha256Hash"] = Psoxy.Infra.Hosts.PsoxySaltHash.Compute(FakeProxy.Salt),
        };
        return outputs.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Runs the command with the outputs on standard input (<c>--outputs -</c>) unless the arguments say otherwise.</summary>
    public static async Task<Result> RunAsync(string? outputsOnStdin, params string[] args)
    {
        var command = new VerifyCommand(new FixedCredentials(), new StackOutputsFromMemory(outputsOnStdin), new StringReader(outputsOnStdin ?? ""));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var arguments = args.Contains("--outputs") || args.Contains("--stack") || args.Contains("-s") || outputsOnStdin is null
            ? args
            : ["--outputs", "-", .. args];
        var exit = await command.RunAsync(arguments, stdout, stderr, CancellationToken.None);
        return new Result(exit, stdout.ToString(), stderr.ToString());
    }

    public sealed record Result(int Exit, string Stdout, string Stderr)
    {
        /// <summary>The line of the text report for a connector.</summary>
        public string LineOf(string connectorId) =>
            Stdout.Split('\n').Single(l => l.StartsWith(connectorId + " ", StringComparison.Ordinal));
    }

    /// <summary>As the clouds would, but with keys the fake knows: the user's own, or the caller role's temporary ones.</summary>
    private sealed class FixedCredentials : IAuthenticatorFactory
    {
        public IRequestAuthenticator Create(DeploymentOutputs outputs, VerifyOptions options) => outputs.Host == HostPlatform.Aws
            ? new AwsSigV4Authenticator(new FixedAwsCredentials(options.AssumeCallerRole ? outputs.CallerRoleArn : null), outputs.AwsRegion!)
            : new GoogleIdTokenAuthenticator(new FixedIdTokenSource(options.IdentityToken ?? FakeProxy.GoodToken));
    }

    private sealed class FixedAwsCredentials(string? assumedRole) : IAwsCredentialSource
    {
        public Task<ImmutableCredentials> GetCredentialsAsync(CancellationToken ct) => Task.FromResult(assumedRole is null
            ? new ImmutableCredentials(AccessKey, SecretKey, null)
            : new ImmutableCredentials(TempAccessKey, TempSecretKey, SessionToken));

        public Task<string> DescribeAsync(CancellationToken ct) => Task.FromResult(assumedRole ?? CallerUserArn);
    }

    /// <summary>Stands in for the pulumi CLI: answers every stack with the given outputs, or fails like a missing CLI.</summary>
    private sealed class StackOutputsFromMemory(string? outputs) : IStackOutputsSource
    {
        public Task<string> ReadAsync(string stackName, CancellationToken ct) =>
            outputs is null
                ? throw new OutputsException("the pulumi CLI is not on PATH")
                : Task.FromResult(outputs);
    }
}
