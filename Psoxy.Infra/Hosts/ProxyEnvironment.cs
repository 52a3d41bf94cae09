using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Pulumi;

namespace Psoxy.Infra.Hosts;

/// <summary>
/// The environment variables Psoxy reads on either host for a Microsoft 365 connector (psoxy-hosts.md §1.8, §2.5;
/// psoxy-msft365.md §3.4). Each host adds its own (identity, secrets store, config paths).
/// </summary>
internal static class ProxyEnvironment
{
    public const string GraphHost = "graph.microsoft.com";
    public const string GraphTokenScope = "https://graph.microsoft.com/.default";

    /// <summary>Psoxy's id of the OAuth token-refresh strategy that Microsoft 365 connectors use.</summary>
    public const string AuthStrategy = "oauth2_refresh_token";

    /// <summary>The grant that makes Psoxy send its host identity's token as client assertion.</summary>
    public const string WorkloadIdentityFederationGrant = "workload_identity_federation";

    /// <summary>The grant that makes Psoxy sign a client assertion with its private key (certificate auth).</summary>
    public const string ClientCredentialsGrant = "client_credentials";

    public static string TokenEndpoint(string tenantId) => $"https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token";

    /// <summary>The variables both hosts set, for one connector.</summary>
    /// <param name="connector">The connector the instance serves.</param>
    /// <param name="context">The environment, tenant, auth mode and proxy options.</param>
    /// <param name="clientId">The client id of the connector's Entra application.</param>
    /// <param name="timeoutSeconds">The function's timeout, which Psoxy also applies to its Graph requests.</param>
    /// <param name="bundleFileName">The deployed bundle's file name.</param>
    public static InputMap<string> Common(ConnectorSpec connector, ProxyHostContext context, Input<string> clientId, int timeoutSeconds, string bundleFileName)
    {
        var options = context.Options;
        var variables = new InputMap<string>
        {
            { "SOURCE", connector.SourceKind },
            { "TARGET_HOST", GraphHost },
            { "SOURCE_AUTH_STRATEGY_IDENTIFIER", AuthStrategy },
            // Microsoft 365 connectors use application permissions, not OAuth scopes.
            { "OAUTH_SCOPES", string.Empty },
            { "GRANT_TYPE", context.Auth == AuthMode.Federated ? WorkloadIdentityFederationGrant : ClientCredentialsGrant },
            { "TOKEN_SCOPE", GraphTokenScope },
            { "REFRESH_ENDPOINT", TokenEndpoint(context.TenantId) },
            { "CLIENT_ID", clientId },
            { "PSEUDONYMIZE_APP_IDS", options.PseudonymizeAppIds ? "true" : "false" },
            { "EMAIL_CANONICALIZATION", options.EmailCanonicalization },
            { "IS_DEVELOPMENT_MODE", options.IsDevelopmentMode(connector.Id) ? "true" : "false" },
            { "REQUEST_TIMEOUT_SECONDS", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            { "BUNDLE_FILENAME", bundleFileName },
        };
        if (options.AllowedDataAccessIpBlocks is { } blocks)
        {
            // aws-proxy-api / gcp-proxy-api: the blocks comma-joined; Psoxy's ApiModeConfig splits them again.
            variables.Add("ALLOWED_DATA_ACCESS_IP_BLOCKS", string.Join(",", blocks));
        }

        if (options.CustomRules.GetValueOrDefault(connector.Id) is { } rules)
        {
            // aws-host / gcp-host: the rules file's filesha1, so that changed rules redeploy the function (and Psoxy
            // can report which rules it runs); the rules themselves go where each host puts them.
            variables.Add(CustomRules.ShaVariable, rules.Sha1);
        }

        // aws-host / gcp-host general_environment_variables; the reader refused every name set above or by a host.
        foreach (var (key, value) in options.EnvironmentVariables)
        {
            variables.Add(key, value);
        }

        return variables;
    }

    /// <summary>
    /// Where Psoxy looks up its stored values: the environment's prefix for shared ones, the instance's for its own.
    /// Set explicitly on both hosts, whatever Psoxy would derive from the function name: the prefixes are this stack's choice.
    /// </summary>
    public static void AddConfigPaths(InputMap<string> variables, string sharedPrefix, string instancePrefix)
    {
        if (sharedPrefix.Length > 0)
        {
            // As Psoxy: unset means the root, where an empty prefix (Psoxy's own default on AWS) puts the shared values.
            variables.Add("PATH_TO_SHARED_CONFIG", sharedPrefix);
        }

        variables.Add("PATH_TO_INSTANCE_CONFIG", instancePrefix);
    }

    /// <summary>The instance's config name prefix: <c>&lt;shared prefix&gt;&lt;CONNECTOR_ID&gt;_</c> (e.g. <c>/psoxy/dev/OUTLOOK_CAL_</c>).</summary>
    public static string InstancePrefix(string sharedPrefix, ConnectorSpec connector) =>
        sharedPrefix + connector.Id.ToUpperInvariant().Replace('-', '_') + "_";
}
