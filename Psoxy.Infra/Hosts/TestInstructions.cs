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
internal sealed record TestCaller(HostPlatform Host, string? AwsRegion, string? CallerRoleArn);

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
            md.AppendLine("Requests carry a Google ID token whose audience is the proxy's URL. The principal must be an invoker of the function: list it in `psoxy:gcp.testPrincipals` (or `psoxy:gcp.worklyticsServiceAccountEmails`).");
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
            : $"curl -sS{health} -H \"Authorization: Bearer $(gcloud auth print-identity-token --audiences={AudienceOf(endpointUrl)})\" '{url}'";
    }

    // The offline plan renders placeholders where the URLs will be; those are kept as they are.
    private static string AudienceOf(string endpointUrl) =>
        Uri.TryCreate(endpointUrl, UriKind.Absolute, out var url) ? GoogleIdTokenAuthenticator.AudienceOf(url) : endpointUrl.TrimEnd('/');
}
