using System.Text.Json;
using System.Text.RegularExpressions;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Hosts;
using Psoxy.Infra.Hosts.Aws;
using Psoxy.Infra.Hosts.Gcp;

namespace Psoxy.Infra.Verification;

/// <summary>Why a check failed, and what to do about it.</summary>
internal sealed record Finding(string Cause, string NextStep);

/// <summary>
/// Maps what a proxy instance answered to the cause and the next step, in the terms of this program's configuration
/// and outputs. Facts about Psoxy's answers come from its source (see <see cref="PsoxyProtocol"/>); the Entra
/// troubleshooting follows <see cref="Entra.AdminInstructions"/>.
/// </summary>
internal static partial class Diagnosis
{
    private const string RunPulumiUp = "run `pulumi up` again";

    // Entra token errors that mean the federated identity credential does not match the proxy's identity token.
    private static readonly HashSet<string> FederationMismatchCodes = new(StringComparer.Ordinal) { "700211", "700212", "700213", "70021" };

    /// <summary>
    /// Environment variables the program sets on functions: ProxyEnvironment.Common and AddConfigPaths, AWS's
    /// SECRETS_STORE and Cognito identity (AwsProxyInstance), GCP's token audience (GcpProxyInstance).
    /// </summary>
    internal static readonly HashSet<string> EnvironmentProperties = new(StringComparer.Ordinal)
    {
        "SOURCE", "TARGET_HOST", "SOURCE_AUTH_STRATEGY_IDENTIFIER", "OAUTH_SCOPES", "GRANT_TYPE", "TOKEN_SCOPE",
        "REFRESH_ENDPOINT", "CLIENT_ID", "PSEUDONYMIZE_APP_IDS", "EMAIL_CANONICALIZATION", "IS_DEVELOPMENT_MODE",
        "REQUEST_TIMEOUT_SECONDS", "BUNDLE_FILENAME", "PATH_TO_SHARED_CONFIG", "PATH_TO_INSTANCE_CONFIG",
        "SECRETS_STORE", "IDENTITY_POOL_ID", "IDENTITY_ID", "DEVELOPER_NAME_ID", "AUDIENCE",
    };

    public static Finding Timeout(TimeSpan after) => new(
        $"no answer within {after.TotalSeconds:0} s",
        "a cold start can take several seconds: retry with a longer --timeout; if it persists, read the function's logs (it may be failing to start).");

    public static Finding Unreachable(string reason) => new(
        $"the endpoint could not be reached ({reason})",
        $"check the endpointUrl in the stack outputs is the deployed one ({RunPulumiUp} and take its outputs anew) and that your network allows it.");

    public static Finding CouldNotAuthenticate(string reason) => new($"no credentials to call the proxy: {reason}", "fix the credentials as described, then run verify again.");

    /// <summary>401/403 without any Psoxy header: the host refused the caller before the proxy ran.</summary>
    public static bool IsHostRefusal(ProxyResponse response) =>
        response.Status is 401 or 403 && response.PsoxyError is null && HealthCheckResult.TryParse(response.Body) is null;

    /// <param name="response">The refusal.</param>
    /// <param name="outputs">The deployment.</param>
    /// <param name="connector">The connector refused.</param>
    /// <param name="caller">Who the request was made as.</param>
    /// <param name="asCallerRole">AWS: whether the request was made as the stack's caller role.</param>
    public static Finding HostRefusal(ProxyResponse response, DeploymentOutputs outputs, DeployedConnector connector, string caller, bool asCallerRole) => outputs.Host switch
    {
        HostPlatform.Aws => new(
            $"AWS refused the signed request (HTTP {response.Status}): {caller} may not invoke the function URL",
            asCallerRole
                ? $"the caller role should be allowed to invoke every proxy; its policy is missing or was changed: {RunPulumiUp}."
                : outputs.CallerRoleArn is { } role
                    ? $"call as the caller role {role} (--assume-caller-role), which may invoke every proxy; to be allowed to assume it, add your ARN to psoxy:aws.callerAwsArns (Worklytics' GCP service account goes in psoxy:aws.callerGcpServiceAccountIds) and {RunPulumiUp}."
                    : $"add your ARN to psoxy:aws.callerAwsArns and {RunPulumiUp}, then call as the caller role."),
        _ => new(
            response.Status == 401
                ? $"Cloud Run rejected the ID token (HTTP 401): its audience must be {GoogleIdTokenAuthenticator.AudienceOf(connector.EndpointUrl)} and it must not be expired"
                : $"Cloud Run refused the caller (HTTP 403): {caller} is not in the {GcpProxyInstance.InvokerRole} binding of the function",
            $"add the caller to psoxy:gcp.testPrincipals (people, test service accounts; `user:` or `serviceAccount:` prefixed) or psoxy:gcp.worklyticsServiceAccountEmails (Worklytics' service account) and {RunPulumiUp}."),
    };

    /// <summary>The health check's verdict; null when it passed.</summary>
    /// <param name="response">The answer.</param>
    /// <param name="health">Its health report (<see cref="HealthCheckResult.TryParse"/>), null when it holds none.</param>
    /// <param name="outputs">The deployment.</param>
    /// <param name="connector">The connector checked.</param>
    public static Finding? HealthCheck(ProxyResponse response, HealthCheckResult? health, DeploymentOutputs outputs, DeployedConnector connector)
    {
        if (health is null)
        {
            return response.PsoxyError is not null
                ? ProxyError(response, outputs, connector)
                : new($"the health check answered HTTP {response.Status} without a Psoxy health report", $"check endpointUrl points at the {connector.Id} proxy; read the function's logs.");
        }

        var expectedSource = connector.Spec.SourceKind;
        if (health.ConfiguredSource is { } source && source != expectedSource)
        {
            return new($"the proxy serves source '{source}', not '{expectedSource}'", $"the endpoint belongs to another connector or an old deployment: {RunPulumiUp} and use its outputs.");
        }

        // Pseudonyms depend on the salt: an instance on another salt breaks the continuity of Worklytics' data.
        if (outputs.SaltSha256Hash is { } expectedSalt && health.SaltSha256Hash is { } reportedSalt && reportedSalt != expectedSalt)
        {
            return new(
                $"the instance reports saltSha256Hash {reportedSalt}, the stack's is {expectedSalt}: its pseudonyms differ from those of the stack's salt",
                "do not connect Worklytics to it (its data would not match the history); set psoxy:pseudonymSalt (secret) to the salt the instance should use, e.g. the old deployment's (see migrate's hand-off), "
                + $"and {RunPulumiUp}; or, if the stack's outputs are stale, take them anew.");
        }

        var missing = health.MissingConfigProperties.ToList();
        if (health.ConfiguredSource is null && !missing.Contains("SOURCE"))
        {
            missing.Insert(0, "SOURCE");
        }

        if (!health.NonDefaultSalt && !missing.Contains(ProxyConfigValues.Salt))
        {
            missing.Add(ProxyConfigValues.Salt);
        }

        if (missing.Count > 0)
        {
            return new(
                $"the proxy lacks configuration: {string.Join(", ", missing)}",
                string.Join(" ", missing.Select(p => $"{p}: {WhereFrom(p, outputs.Host)}.").Distinct(StringComparer.Ordinal)) + $" Then {RunPulumiUp}.");
        }

        if (health.ClientIpAuthorized == false)
        {
            return new("the proxy does not accept data requests from your IP address (IP lockdown)", "call from an allowed network, or add your address block to the proxy's allowed data access IP blocks.");
        }

        return response.Status == 200 ? null : new($"the health check failed (HTTP {response.Status})", "read the function's logs for the failing check.");
    }

    /// <summary>
    /// What the health check says is worth reading even when it passed: the instance's own <c>warningMessages</c>, and
    /// a missing <c>saltSha256Hash</c> (older Psoxy versions), which leaves the salt unchecked.
    /// </summary>
    public static IReadOnlyList<string> HealthWarnings(HealthCheckResult health, DeploymentOutputs outputs)
    {
        var warnings = health.WarningMessages.Select(m => $"the instance warns: {m}").ToList();
        if (health.SaltSha256Hash is null && outputs.SaltSha256Hash is not null)
        {
            warnings.Add("the instance reports no saltSha256Hash (older Psoxy versions do not), so its salt could not be compared with the stack's; upgrade the bundle to have it checked");
        }

        return warnings;
    }

    /// <summary>A data call's verdict; null when it passed.</summary>
    public static Finding? DataCall(ProxyResponse response, DeploymentOutputs outputs, DeployedConnector connector, DataCall call, string path)
    {
        if (response.Status is >= 200 and < 300)
        {
            // Never print the addresses: they are the personal data the proxy exists to hide.
            var plain = PsoxyProtocol.PlainEmailAddresses(response.Body).Count();
            return plain == 0
                ? null
                : new($"the answer to {path} contains {plain} e-mail address(es) that are not pseudonymized",
                    $"do not connect Worklytics yet: the proxy is not applying the {connector.Spec.SourceKind} rules; check its SOURCE and RULES configuration and the deployed bundle version, and read its logs.");
        }

        if (response.Status == 404 && call.NotFoundMeansAllowed && response.PsoxyError is null or PsoxyProtocol.ErrorCauses.ApiError)
        {
            return null;
        }

        return ProxyError(response, outputs, connector, call, path);
    }

    private static Finding ProxyError(ProxyResponse response, DeploymentOutputs outputs, DeployedConnector connector, DataCall? call = null, string? path = null)
    {
        path ??= connector.Spec.VerificationCall;
        if (EntraErrorCode().Match(response.Body) is { Success: true } entra)
        {
            return EntraTokenError(entra.Groups["code"].Value, outputs, connector);
        }

        var graphCode = GraphErrorCode(response.Body);
        if (graphCode is "Authorization_IdentityNotFound" or "Authorization_RequestDenied")
        {
            var link = connector.AdminConsentUrl ?? connector.PermissionsPageUrl ?? "the admin consent link in the adminInstructions output";
            return new(
                $"Microsoft Graph answered {graphCode} to {path}: admin consent for {connector.DisplayName}{(call is null ? "" : $" ({call.Permission})")} is missing",
                $"a Privileged Role Administrator grants admin consent: {link}. Right after consenting, RequestDenied can last until the proxy's cached token expires (up to an hour).");
        }

        if (response.Status == 403 && response.Body.Contains("application access policy", StringComparison.OrdinalIgnoreCase) && connector.Spec.ManualStep is { } step)
        {
            return new(
                "Microsoft Graph refused online meetings: no Teams application access policy names the application",
                $"{step.WhoMayDoIt} must do the step \"{step.Title}\" for application {connector.ClientId} (see the adminInstructions output).");
        }

        return response.PsoxyError switch
        {
            PsoxyProtocol.ErrorCauses.BlockedByRules => new(
                $"the proxy's rules blocked {path}",
                "the deployed bundle's rules differ from the catalog's; check the bundle version in psoxy:aws/gcp.deploymentBundle."),
            PsoxyProtocol.ErrorCauses.UnauthorizedIpAddress => new(
                "the proxy does not accept data requests from your IP address (IP lockdown)",
                "call from an allowed network, or add your address block to the proxy's allowed data access IP blocks."),
            PsoxyProtocol.ErrorCauses.ConnectionSetup or PsoxyProtocol.ErrorCauses.ConfigurationFailure => new(
                $"the proxy could not set up its connection to Microsoft Graph ({response.PsoxyError}, HTTP {response.Status})",
                $"read the function's logs for the missing or unreadable setting; {RunPulumiUp} to restore the configuration."),
            PsoxyProtocol.ErrorCauses.ConnectionToSource or PsoxyProtocol.ErrorCauses.NetworkEgressBlocked or PsoxyProtocol.ErrorCauses.SourceApiReadTimeout => new(
                $"the proxy could not reach Microsoft Graph or its token endpoint ({response.PsoxyError}, HTTP {response.Status})",
                "check the function's outbound network (VPC, NAT, firewall) and read its logs."),
            _ => new(
                $"{path} answered HTTP {response.Status}{(response.PsoxyError is { } e ? $" ({e})" : "")}{(graphCode is null ? "" : $" from Microsoft Graph: {graphCode}")}",
                "read the function's logs for the error."),
        };
    }

    private static Finding EntraTokenError(string code, DeploymentOutputs outputs, DeployedConnector connector)
    {
        var aadsts = "AADSTS" + code;
        if (FederationMismatchCodes.Contains(code))
        {
            // The stack outputs say exactly what the application trusts; older outputs only allow describing it.
            var expected = connector.Federation?.ToString() ?? (outputs.Host == HostPlatform.Aws
                ? $"issuer {AwsProxyInstance.CognitoIssuer}, audience = the Cognito identity pool id, subject = the proxy's Cognito identity id"
                : $"issuer {GcpProxyInstance.GoogleIssuer}, audience {GcpProxyInstance.EntraTokenExchangeAudience}, subject = the unique id of the proxy's service account in project {outputs.GcpProjectId}");
            return new(
                $"Entra refused the proxy's token ({aadsts}): the application's federated identity credential does not match the proxy's identity",
                $"the credential on application {connector.ClientId} must have {expected} (exact, case-sensitive); do not edit it by hand: {RunPulumiUp} to restore it.");
        }

        return code switch
        {
            "700016" => new(
                $"Entra does not know application {connector.ClientId} in tenant {outputs.TenantId} ({aadsts})",
                $"the proxy's CLIENT_ID must be the application (client) id, not its object id, and psoxy:msftTenantId the tenant the application lives in (was it deleted?); {RunPulumiUp}."),
            "7000112" => new(
                $"application {connector.ClientId} is disabled in Entra ({aadsts})",
                "an admin enables its service principal, e.g. `az ad sp update --id <enterprise application object id> --set accountEnabled=true`."),
            "90002" => new($"the tenant {outputs.TenantId} does not exist ({aadsts})", $"correct psoxy:msftTenantId and {RunPulumiUp}."),
            _ => new($"Entra refused the proxy's token ({aadsts})", $"look the code up at https://login.microsoftonline.com/error?code={code}; {RunPulumiUp} if the application or its credential changed."),
        };
    }

    private static string WhereFrom(string property, HostPlatform host) => property switch
    {
        ProxyConfigValues.Salt => host == HostPlatform.Aws
            ? "the shared secret, SSM parameter <prefix>PSOXY_SALT (prefix psoxy:aws.ssmParameterPrefix, default /psoxy/<environment>/), from psoxy:pseudonymSalt or generated; the function's role must be allowed to read it"
            : "the shared secret, in Secret Manager as <prefix>PSOXY_SALT, from psoxy:pseudonymSalt or generated; the function's service account must be allowed to access it",
        "PRIVATE_KEY" or "PRIVATE_KEY_ID" => "the connector's certificate, stored as a secret of the instance (psoxy:auth certificate mode only)",
        _ when EnvironmentProperties.Contains(property) => "an environment variable Psoxy.Infra sets on the function",
        _ => "a setting Psoxy.Infra does not manage (see the function's environment and secrets)",
    };

    private static string? GraphErrorCode(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object &&
                error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                ? code.GetString()
                : null;
        }
        catch (JsonException)
        {
            // Psoxy wraps some failures in prose; fall back to finding the code in the text.
            return KnownGraphCode().Match(body) is { Success: true } m ? m.Value : null;
        }
    }

    [GeneratedRegex(@"AADSTS(?<code>\d+)")]
    private static partial Regex EntraErrorCode();

    [GeneratedRegex("Authorization_(IdentityNotFound|RequestDenied)")]
    private static partial Regex KnownGraphCode();
}
