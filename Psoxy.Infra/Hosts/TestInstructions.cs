using System.Text;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Verification;

namespace Psoxy.Infra.Hosts;

/// <summary>One deployed proxy instance to test by hand.</summary>
/// <param name="Connector">The connector it serves.</param>
/// <param name="EndpointUrl">Its base URL, ending in <c>/</c>.</param>
internal sealed record TestTarget(ConnectorSpec Connector, string EndpointUrl);

/// <summary>How the requests are authenticated, per host.</summary>
/// <param name="Host">The host the proxies run on.</param>
/// <param name="AwsRegion">AWS: the region, for SigV4.</param>
/// <param name="CallerRoleArn">AWS: the role Worklytics assumes to call the proxies.</param>
/// <param name="GcpInvokers">GCP: the members of each function's invoker binding (exactly these may call).</param>
internal sealed record TestCaller(HostPlatform Host, string? AwsRegion, string? CallerRoleArn, IReadOnlyList<string>? GcpInvokers = null);

/// <summary>
/// The Markdown that lets anyone repeat by hand what <c>verify</c> checks: per connector the health check and the
/// verification call, authenticated as on the host (awscurl with SigV4 for <c>lambda</c>, or curl with a Google ID
/// token).
/// </summary>
internal static class TestInstructions
{
    public static string Render(string environment, TestCaller caller, IReadOnlyList<TestTarget> targets)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Test the Psoxy instances of '{environment}' by hand");
        md.AppendLine();
        md.AppendLine("`dotnet run --project Psoxy.Infra -- verify --stack <stack>` makes these calls for every connector and explains any failure. To make them yourself:");
        md.AppendLine();
        if (caller.Host == HostPlatform.Aws)
        {
            md.AppendLine($"Requests are signed with AWS SigV4 for the service `lambda` in `{caller.AwsRegion}`, here with [awscurl](https://github.com/okigan/awscurl) and your AWS credentials. Worklytics calls as the caller role; to call as it does, assume it first and export the credentials it returns (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`):");
            md.AppendLine();
            md.AppendLine("```sh");
            md.AppendLine($"aws sts assume-role --role-arn {caller.CallerRoleArn} --role-session-name psoxy-test");
            md.AppendLine("```");
        }
        else
        {
            RenderGcpCaller(md, caller.GcpInvokers ?? []);
        }

        foreach (var target in targets.OrderBy(t => t.Connector.Id, StringComparer.Ordinal))
        {
            var connector = target.Connector;
            md.AppendLine();
            md.AppendLine($"## {connector.DisplayName} (`{connector.Id}`)");
            md.AppendLine();
            md.AppendLine($"Health check: expect HTTP 200 and JSON with `\"configuredSource\": \"{connector.SourceKind}\"`, `\"nonDefaultSalt\": true` and `\"missingConfigProperties\": []`.");
            md.AppendLine();
            md.AppendLine("```sh");
            md.AppendLine(Command(caller, target.EndpointUrl, target.EndpointUrl, healthCheck: true));
            md.AppendLine("```");
            md.AppendLine();
            md.AppendLine($"Example call, `{connector.VerificationCall}`: expect HTTP 200, with every e-mail address pseudonymized (`t~...@domain`).");
            md.AppendLine();
            md.AppendLine("```sh");
            md.AppendLine(Command(caller, target.EndpointUrl, target.EndpointUrl + connector.VerificationCall.TrimStart('/'), healthCheck: false));
            md.AppendLine("```");
        }

        md.AppendLine();
        md.AppendLine("A 403 without JSON means the host refused the caller; an `X-Psoxy-Error` response header names what failed inside the proxy (e.g. `API_ERROR` with Microsoft Graph's error in the body). See adminInstructions for the Entra errors.");
        return md.ToString();
    }

    // Single quotes keep the shell from expanding `$top` in the URL.
    private static string Command(TestCaller caller, string endpointUrl, string url, bool healthCheck)
    {
        var health = healthCheck ? $" -H \"{PsoxyProtocol.HealthCheckHeader}: true\"" : "";
        return caller.Host == HostPlatform.Aws
            ? $"awscurl --service lambda --region {caller.AwsRegion}{health} '{url}'"
            : $"curl -sS{health} -H \"Authorization: Bearer $({GcpTokenFunction} {AudienceOf(endpointUrl)})\" '{url}'";
    }

    /// <summary>The shell function the GCP commands get their ID token from, defined once for a person or a service account.</summary>
    internal const string GcpTokenFunction = "psoxy_token";

    /// <summary>
    /// Who may call, and how to get an ID token Cloud Run accepts: a person's gcloud token as it is (gcloud refuses
    /// <c>--audiences</c> for user accounts, and Cloud Run accepts tokens gcloud issued to a user, as Psoxy's own
    /// tools/psoxy-test sends them); a service account's token for the function's URL.
    /// </summary>
    private static void RenderGcpCaller(StringBuilder md, IReadOnlyList<string> invokers)
    {
        md.AppendLine("Requests carry a Google ID token. Only the members of each function's invoker binding may call it" +
            (invokers.Count == 0
                ? ", and none is configured, so nobody can."
                : $": {string.Join(", ", invokers.Select(m => $"`{m}`"))}.") +
            " The binding holds exactly the configured members (anyone added by hand is removed at the next `pulumi up`); to test as yourself or as another service account, add it to `psoxy:gcp.testPrincipals` and run `pulumi up`:");
        md.AppendLine();
        md.AppendLine("```sh");
        md.AppendLine("pulumi config set --path 'psoxy:gcp.testPrincipals[0]' user:you@example.com   # a person");
        md.AppendLine("pulumi config set --path 'psoxy:gcp.testPrincipals[1]' serviceAccount:tester@my-project.iam.gserviceaccount.com   # a service account");
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine($"Then define `{GcpTokenFunction}` for who you call as: the commands below call it with the function's URL.");
        md.AppendLine();
        md.AppendLine("```sh");
        md.AppendLine("# A person logged in with `gcloud auth login`: Cloud Run accepts your gcloud ID token as it is");
        md.AppendLine("# (gcloud refuses --audiences for a user account).");
        md.AppendLine($"{GcpTokenFunction}() {{ gcloud auth print-identity-token; }}");
        md.AppendLine();
        md.AppendLine("# A service account, impersonated with your own login (you need roles/iam.serviceAccountTokenCreator on it),");
        md.AppendLine("# or active in gcloud (`gcloud auth activate-service-account`; then drop --impersonate-service-account):");
        md.AppendLine($"# {GcpTokenFunction}() {{ gcloud auth print-identity-token --impersonate-service-account=tester@my-project.iam.gserviceaccount.com --audiences=\"$1\" --include-email; }}");
        md.AppendLine("```");
    }

    // The offline plan renders placeholders where the URLs will be; those are kept as they are.
    private static string AudienceOf(string endpointUrl) =>
        Uri.TryCreate(endpointUrl, UriKind.Absolute, out var url) ? GoogleIdTokenAuthenticator.AudienceOf(url) : endpointUrl.TrimEnd('/');
}
