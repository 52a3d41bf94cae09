using System.Text.Json;
using System.Text.Json.Nodes;
using Psoxy.Infra.Catalog;

namespace Psoxy.Infra.Tests.Migration;

/// <summary>
/// <c>terraform show -json</c> documents as Psoxy 0.6.9's examples (infra/examples-dev/aws and gcp, with the
/// Microsoft 365 connectors) leave them: its module addresses, resource names and values. The secrets are unique
/// strings, so a test can prove they reach no output.
/// </summary>
internal static class PsoxyTerraformStates
{
    public const string TenantId = "4d2c1b0a-9f8e-4d7c-a6b5-3c2d1e0f9a8b";
    public const string Account = "210987654321";
    public const string Region = "eu-west-1";
    public const string Project = "acme-psoxy-prod";
    public const string GcpRegion = "us-east1";
    public const string WorklyticsSaId = "101234567890123456789";
    public const string WorklyticsSaEmail = "acme-tenant@worklytics-prod.iam.gserviceaccount.com";
    public const string Tester = "arn:aws:iam::210987654321:role/psoxy-tester";
    public const string PoolId = "eu-west-1:6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    public static readonly string[] Owners = ["8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d", "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"];

    /// <summary>The secrets, each unique: none may appear in any output.</summary>
    public static readonly string[] Secrets =
    [
        "Salt-q7!Vx#2mK9@unique",
        "EncKey-r8$Tz&5nL0^unique-32chars",
        "SaltVersion-w3%Yp*6jH1~unique",
        "EncVersion-e4(Ub)7kG2+unique-32c",
        "OutputSalt-z9=Qc_8fD3<unique>",
        "SaltIp-k5&Rb?1xN4;unique",
    ];

    /// <summary>What a deployment does beyond its connectors: Psoxy's allowed_data_access_ip_blocks, general_environment_variables and custom rules (connector id -> YAML).</summary>
    public sealed record Extras(string[]? IpBlocks = null, Dictionary<string, string>? Variables = null, Dictionary<string, string>? Rules = null);

    /// <summary>Custom rules as a user of Psoxy writes them (Psoxy's own YAML tags included).</summary>
    public const string MailRules = """
        allowAllEndpoints: false
        endpoints:
          - pathRegex: "^/v1.0/users/[^/]*/messages[^/]*"
            transforms:
              - !<redact>
                jsonPaths:
                  - "$..subject"
              - !<pseudonymize>
                jsonPaths:
                  - "$..emailAddress.address"

        """;

    private static string Sha1(string text)
    {
#pragma warning disable CA5350 // Terraform's sha1(), as Psoxy's CUSTOM_RULES_SHA.
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5350
    }

    private static string Base64Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return Convert.ToBase64String(buffer.ToArray());
    }

    /// <summary>This program's id of a connector Psoxy may name by an older one (azure-ad).</summary>
    private static ConnectorSpec Spec(string connector) => ConnectorCatalog.Find(ConnectorCatalog.DeprecatedAliases.GetValueOrDefault(connector, connector))!;

    public static string ObjectIdOf(string connector) => GuidOf("object-" + connector);

    public static string ClientIdOf(string connector) => GuidOf("client-" + connector);

    /// <summary>Psoxy's display name of an application: its connector's display name (Psoxy's, not ours) and a qualifier with a trailing space.</summary>
    public static string DisplayNameOf(string connector) =>
        $"Psoxy Connector - {(Spec(connector).Id == "msft-entra-id" ? "Microsoft Entra ID (former Azure AD)" : Spec(connector).DisplayName)} psoxy ";

    /// <summary>Psoxy on AWS: examples-dev/aws with <paramref name="connectors"/>, environment <paramref name="environment"/>.</summary>
    public static JsonObject Aws(string[] connectors, string environment = "psoxy", string version = "0.6.9", string ssmRoot = "", Extras? extras = null)
    {
        extras ??= new Extras();
        var api = connectors.Select(id => Module($"module.psoxy.module.api_connector[\"{id}\"]",
            [
                Resource($"module.psoxy.module.api_connector[\"{id}\"]", "aws_lambda_function_url", "lambda_url", null, new JsonObject
                {
                    ["function_name"] = $"{environment}-{id}",
                    ["authorization_type"] = "AWS_IAM",
                    ["function_url"] = $"https://{Hex(id)}.lambda-url.{Region}.on.aws/",
                    ["id"] = $"{environment}-{id}",
                }),
                Resource($"module.psoxy.module.api_connector[\"{id}\"]", "local_file", "todo", null, new JsonObject { ["filename"] = $"TODO 2 - test {environment}-{id}.md" }),
            ],
            [
                Module($"module.psoxy.module.api_connector[\"{id}\"].module.psoxy_lambda",
                [
                    Resource($"module.psoxy.module.api_connector[\"{id}\"].module.psoxy_lambda", "aws_lambda_function", "instance", null, new JsonObject
                    {
                        ["function_name"] = $"{environment}-{id}",
                        ["arn"] = $"arn:aws:lambda:{Region}:{Account}:function:{environment}-{id}",
                        ["runtime"] = "java25",
                        ["architectures"] = new JsonArray("arm64"),
                        ["handler"] = "co.worklytics.psoxy.AwsApiGatewayV2ApiDataRequestHandler",
                        ["memory_size"] = 512,
                        ["timeout"] = 180,
                        ["s3_bucket"] = $"{environment}-artifacts-20240101",
                        ["s3_key"] = $"{environment}/psoxy-aws-{version}.jar",
                        ["environment"] = new JsonArray(new JsonObject { ["variables"] = WithExtras(AwsVariables(id, environment, version, ssmRoot), id, extras, gcp: false) }),
                    }),
                    Resource($"module.psoxy.module.api_connector[\"{id}\"].module.psoxy_lambda", "aws_cloudwatch_log_group", "lambda_log", null, new JsonObject
                    {
                        ["name"] = $"/aws/lambda/{environment}-{id}",
                        ["retention_in_days"] = 30,
                    }),
                    Resource($"module.psoxy.module.api_connector[\"{id}\"].module.psoxy_lambda", "aws_iam_role", "iam_for_lambda", null, new JsonObject
                    {
                        ["name"] = $"{environment}-{id}_Exec",
                        ["arn"] = $"arn:aws:iam::{Account}:role/{environment}-{id}_Exec",
                    }),
                    Resource($"module.psoxy.module.api_connector[\"{id}\"].module.psoxy_lambda", "aws_iam_policy", "required_resource_access", null, new JsonObject
                    {
                        ["name"] = $"{environment}-{id}_resourceAccess",
                    }),
                    Resource($"module.psoxy.module.api_connector[\"{id}\"].module.psoxy_lambda", "aws_iam_role_policy_attachment", "basic", null, new JsonObject
                    {
                        ["role"] = $"{environment}-{id}_Exec",
                        ["policy_arn"] = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                    }),
                ], []),
            ])).ToArray();

        var trust = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(
                new JsonObject { ["Sid"] = "", ["Action"] = "sts:AssumeRole", ["Effect"] = "Allow", ["Principal"] = new JsonObject { ["Service"] = "lambda.amazonaws.com" } },
                WithSourceIp(new JsonObject { ["Action"] = "sts:AssumeRole", ["Effect"] = "Allow", ["Principal"] = new JsonObject { ["AWS"] = Tester } }, extras.IpBlocks),
                WithSourceIp(new JsonObject
                {
                    ["Action"] = "sts:AssumeRoleWithWebIdentity",
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["Federated"] = "accounts.google.com" },
                    ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["accounts.google.com:aud"] = WorklyticsSaId } },
                }, extras.IpBlocks)),
        };

        // aws-host: module custom_api_connector_rules (aws-ssm-rules), one SSM String parameter <instance prefix>RULES per connector.
        var rules = (extras.Rules ?? []).Select(r => Module($"module.psoxy.module.custom_api_connector_rules[\"{r.Key}\"]",
        [
            Resource($"module.psoxy.module.custom_api_connector_rules[\"{r.Key}\"]", "aws_ssm_parameter", "rules", null, new JsonObject
            {
                ["name"] = $"{ssmRoot}{r.Key.ToUpperInvariant().Replace('-', '_')}_RULES",
                ["type"] = "String",
                ["tier"] = "Standard",
                ["insecure_value"] = r.Value.Length > 8192 ? Base64Gzip(r.Value) : r.Value,
                ["value"] = null,
            }),
        ], [])).ToArray();

        var psoxy = Module("module.psoxy",
        [
            Resource("module.psoxy", "aws_iam_policy", "psoxy_caller_access", null, new JsonObject { ["name"] = $"{environment}CallerAccess" }),
            Resource("module.psoxy", "aws_iam_role_policy_attachment", "psoxy_caller_access", null, new JsonObject { ["role"] = $"{environment}Caller" }),
            Resource("module.psoxy", "local_file", "test_all_script", null, new JsonObject { ["filename"] = "test-all.sh" }),
        ],
        [
            Module("module.psoxy.module.psoxy",
            [
                Resource("module.psoxy.module.psoxy", "aws_iam_role", "api-caller", null, new JsonObject
                {
                    ["name"] = $"{environment}Caller",
                    ["arn"] = $"arn:aws:iam::{Account}:role/{environment}Caller",
                    ["description"] = "role for AWS principals that may invoke the psoxy instance or read an instance's output",
                    ["assume_role_policy"] = trust.ToJsonString(),
                }),
                Resource("module.psoxy.module.psoxy", "random_password", "pseudonym_salt", null, new JsonObject { ["length"] = 20, ["special"] = true, ["result"] = Secrets[0] }),
                Resource("module.psoxy.module.psoxy", "random_password", "encryption_key", null, new JsonObject { ["length"] = 32, ["special"] = true, ["result"] = Secrets[1] }),
                Resource("module.psoxy.module.psoxy", "aws_s3_bucket", "artifacts", 0, new JsonObject { ["bucket"] = $"{environment}-artifacts-20240101" }),
                Resource("module.psoxy.module.psoxy", "aws_s3_object", "proxy_jar", 0, new JsonObject { ["key"] = $"{environment}/psoxy-aws-{version}.jar" }),
            ], []),
            Module("module.psoxy.module.global_secrets_ssm[0]",
            [
                Resource("module.psoxy.module.global_secrets_ssm[0]", "aws_ssm_parameter", "secret", "PSOXY_ENCRYPTION_KEY", new JsonObject
                {
                    ["name"] = ssmRoot + "PSOXY_ENCRYPTION_KEY",
                    ["type"] = "SecureString",
                    ["description"] = "secret used to generate reversible pseudonyms, if any; rotate to render all existing ones irreversible",
                    ["value"] = Secrets[1],
                }),
                Resource("module.psoxy.module.global_secrets_ssm[0]", "aws_ssm_parameter", "secret", "PSOXY_SALT", new JsonObject
                {
                    ["name"] = ssmRoot + "PSOXY_SALT",
                    ["type"] = "SecureString",
                    ["description"] = "Salt used to build pseudonyms.",
                    ["value"] = Secrets[0],
                }),
            ], []),
            .. api,
            .. rules,
        ]);

        var cognito = Module("module.cognito_identity_pool[0]",
        [
            Resource("module.cognito_identity_pool[0]", "aws_cognito_identity_pool", "main", null, new JsonObject
            {
                ["id"] = PoolId,
                ["identity_pool_name"] = $"{environment}-azure-ad-federation",
                ["developer_provider_name"] = $"{environment}-azure-access",
                ["allow_unauthenticated_identities"] = false,
                ["allow_classic_flow"] = false,
            }),
            Resource("module.cognito_identity_pool[0]", "aws_iam_policy", "cognito_developer_identities", null, new JsonObject
            {
                ["name"] = $"{environment}-azure-ad-federation_CognitoDeveloperIdentity",
            }),
        ], []);

        var rootResources = connectors.Select(id => Resource(string.Empty, "aws_iam_role_policy_attachment", "cognito_lambda_policy", id, new JsonObject
        {
            ["role"] = $"{environment}-{id}_Exec",
        })).ToArray();
        var federation = connectors.Select(id => Module($"module.msft_connection_auth_federation[\"{id}\"]",
        [
            Resource($"module.msft_connection_auth_federation[\"{id}\"]", "azuread_application_federated_identity_credential", "federated_credential", null, new JsonObject
            {
                ["application_id"] = "/applications/" + ObjectIdOf(id),
                ["display_name"] = $"{environment}AccessFromAWS",
                ["issuer"] = "https://cognito-identity.amazonaws.com",
                ["audiences"] = new JsonArray(PoolId),
                ["subject"] = $"{Region}:{GuidOf("identity-" + id)}",
            }),
        ], [])).ToArray();

        return Document(rootResources, [psoxy, cognito, Msft365(connectors), .. federation], Secrets[4]);
    }

    /// <summary>Psoxy on GCP: examples-dev/gcp with <paramref name="connectors"/>, environment <paramref name="environment"/>.</summary>
    public static JsonObject Gcp(string[] connectors, string environment = "psoxy", string version = "0.6.9", Extras? extras = null)
    {
        extras ??= new Extras();
        var prefix = environment.Length == 0 ? string.Empty : environment + "-";
        var secretPrefix = (environment.Length == 0 ? "psoxy" : environment) + "_";
        var services = new[] { "artifactregistry", "cloudbuild", "cloudfunctions", "cloudresourcemanager", "compute", "iam", "run", "secretmanager", "storage" };
        var api = connectors.Select(id => Module($"module.psoxy.module.api_connector[\"{id}\"]",
        [
            Resource($"module.psoxy.module.api_connector[\"{id}\"]", "google_cloudfunctions2_function", "function", null, new JsonObject
            {
                ["name"] = prefix + id,
                ["project"] = Project,
                ["location"] = GcpRegion,
                ["url"] = $"https://{GcpRegion}-{Project}.cloudfunctions.net/{prefix}{id}",
                ["build_config"] = new JsonArray(new JsonObject { ["runtime"] = "java25", ["entry_point"] = "co.worklytics.psoxy.Route" }),
                ["service_config"] = new JsonArray(new JsonObject
                {
                    ["available_memory"] = "1024M",
                    ["timeout_seconds"] = 180,
                    ["max_instance_count"] = 20,
                    ["max_instance_request_concurrency"] = 5,
                    ["service_account_email"] = $"psoxy-fn-{id}@{Project}.iam.gserviceaccount.com",
                    ["environment_variables"] = WithExtras(GcpVariables(id, environment, version, secretPrefix), id, extras, gcp: true),
                    ["secret_environment_variables"] = new JsonArray(
                        new JsonObject { ["key"] = "PSOXY_ENCRYPTION_KEY", ["project_id"] = Project, ["secret"] = secretPrefix + "PSOXY_ENCRYPTION_KEY", ["version"] = "1" },
                        new JsonObject { ["key"] = "PSOXY_SALT", ["project_id"] = Project, ["secret"] = secretPrefix + "PSOXY_SALT", ["version"] = "2" }),
                }),
            }),
            Resource($"module.psoxy.module.api_connector[\"{id}\"]", "google_cloud_run_service_iam_binding", "invokers", null, new JsonObject
            {
                ["location"] = GcpRegion,
                ["project"] = Project,
                ["service"] = prefix + id,
                ["role"] = "roles/run.invoker",
                ["members"] = new JsonArray("serviceAccount:" + WorklyticsSaEmail, "user:it-admin@acme.example"),
            }),
            Resource($"module.psoxy.module.api_connector[\"{id}\"]", "google_secret_manager_secret_iam_member", "grant_sa_accessor_on_secret", "PSOXY_SALT", new JsonObject
            {
                ["secret_id"] = secretPrefix + "PSOXY_SALT",
            }),
        ], [])).ToArray();

        JsonObject SecretVersion(string name, string secret, string number, string data) => Resource("module.psoxy.module.psoxy", "google_secret_manager_secret_version", name, null, new JsonObject
        {
            ["secret"] = $"projects/{Project}/secrets/{secret}",
            ["name"] = $"projects/123456789/secrets/{secret}/versions/{number}",
            ["version"] = number,
            ["secret_data"] = data,
            ["deletion_policy"] = "DISABLE",
        });

        var psoxy = Module("module.psoxy",
        [
            .. connectors.Select(id => Resource("module.psoxy", "google_service_account", "api_connectors", id, new JsonObject
            {
                ["account_id"] = $"psoxy-fn-{id}",
                ["email"] = $"psoxy-fn-{id}@{Project}.iam.gserviceaccount.com",
                ["unique_id"] = "1" + Digits(id, 20),
            })),
            Resource("module.psoxy", "local_file", "test_all_script", null, new JsonObject { ["filename"] = "test-all.sh" }),
        ],
        [
            Module("module.psoxy.module.psoxy",
            [
                .. services.Select(s => Resource("module.psoxy.module.psoxy", "google_project_service", "gcp_infra_api", $"{s}.googleapis.com", new JsonObject
                {
                    ["id"] = $"{Project}/{s}.googleapis.com",
                    ["project"] = Project,
                    ["service"] = $"{s}.googleapis.com",
                    ["disable_on_destroy"] = false,
                })),
                Resource("module.psoxy.module.psoxy", "google_secret_manager_secret", "pseudonym_salt", null, new JsonObject
                {
                    ["secret_id"] = secretPrefix + "PSOXY_SALT",
                    ["name"] = $"projects/{Project}/secrets/{secretPrefix}PSOXY_SALT",
                }),
                Resource("module.psoxy.module.psoxy", "random_password", "pseudonym_salt", null, new JsonObject { ["length"] = 20, ["result"] = Secrets[0] }),
                // Version 1 was Terraform's; version 2 (pinned by the functions) was added later, also in state.
                SecretVersion("initial_version", secretPrefix + "PSOXY_SALT", "2", Secrets[2]),
                Resource("module.psoxy.module.psoxy", "random_password", "pseudonym_encryption_key", null, new JsonObject { ["length"] = 32, ["result"] = Secrets[1] }),
                SecretVersion("pseudonym_encryption_key_initial_version", secretPrefix + "PSOXY_ENCRYPTION_KEY", "1", Secrets[3]),
                Resource("module.psoxy.module.psoxy", "google_storage_bucket", "artifacts", null, new JsonObject { ["name"] = $"{Project}-{prefix}artifacts-bucket" }),
                Resource("module.psoxy.module.psoxy", "google_storage_bucket_object", "function", null, new JsonObject { ["name"] = $"{prefix}psoxy-gcp-{version}_0123abcd.zip" }),
                Resource("module.psoxy.module.psoxy", "google_service_account", "proxy_builder_sa", null, new JsonObject { ["account_id"] = $"{prefix}proxy-builder-sa" }),
            ], []),
            .. api,
        ]);

        var federation = connectors.Select(id => Module($"module.msft-connection-auth-federation[\"{id}\"]",
        [
            Resource($"module.msft-connection-auth-federation[\"{id}\"]", "azuread_application_federated_identity_credential", "federated_credential", null, new JsonObject
            {
                ["application_id"] = "/applications/" + ObjectIdOf(id),
                ["display_name"] = "GcpFederation",
                ["issuer"] = "https://accounts.google.com",
                ["audiences"] = new JsonArray("api://AzureADTokenExchange"),
                ["subject"] = "1" + Digits(id, 20),
            }),
        ], [])).ToArray();

        return Document([], [psoxy, Msft365(connectors), .. federation], Secrets[4]);
    }

    /// <summary>Psoxy's shared-application mode: one existing app read as data, no azuread_application resource.</summary>
    public static JsonObject SharedApplication(JsonObject state)
    {
        var modules = state["values"]!["root_module"]!["child_modules"]!.AsArray();
        var msft = modules.First(m => (string)m!["address"]! == "module.worklytics_connectors_msft_365")!.AsObject();
        msft["child_modules"] = new JsonArray();
        msft["resources"] = new JsonArray(new JsonObject
        {
            ["address"] = "module.worklytics_connectors_msft_365.data.azuread_application.existing_connector_app[0]",
            ["mode"] = "data",
            ["type"] = "azuread_application",
            ["name"] = "existing_connector_app",
            ["index"] = 0,
            ["provider_name"] = "registry.terraform.io/hashicorp/azuread",
            ["values"] = new JsonObject { ["object_id"] = GuidOf("shared"), ["client_id"] = GuidOf("shared-client") },
        });
        return state;
    }

    private static JsonObject Msft365(string[] connectors) => Module("module.worklytics_connectors_msft_365",
    [
        Resource("module.worklytics_connectors_msft_365", "time_rotating", "example_timestamp", null, new JsonObject { ["rotation_days"] = 365 }),
    ],
    [
        .. connectors.Select(id => Module($"module.worklytics_connectors_msft_365.module.msft_connection[\"{id}\"]",
        [
            Resource($"module.worklytics_connectors_msft_365.module.msft_connection[\"{id}\"]", "azuread_application", "connector", null, new JsonObject
            {
                ["id"] = "/applications/" + ObjectIdOf(id),
                ["object_id"] = ObjectIdOf(id),
                ["client_id"] = ClientIdOf(id),
                ["display_name"] = DisplayNameOf(id),
                ["description"] = "",
                ["owners"] = new JsonArray([.. Owners.Select(o => (JsonNode)o)]),
                ["sign_in_audience"] = "AzureADMyOrg",
                ["feature_tags"] = new JsonArray(new JsonObject { ["custom_single_sign_on"] = false, ["enterprise"] = false, ["gallery"] = false, ["hide"] = true }),
                ["required_resource_access"] = new JsonArray(new JsonObject
                {
                    ["resource_app_id"] = GraphAppRoles.GraphAppId,
                    ["resource_access"] = new JsonArray([.. Spec(id).RequiredAppRoles.Select(r => (JsonNode)new JsonObject { ["id"] = GraphAppRoles.IdOf(r), ["type"] = "Role" })]),
                }),
            }),
        ], [])),
    ]);

    /// <summary>aws-host / gcp-host: the allowlist (aws-proxy-api, gcp-proxy-api), CUSTOM_RULES_SHA, RULES (GCP) and general_environment_variables.</summary>
    private static JsonObject WithExtras(JsonObject variables, string id, Extras extras, bool gcp)
    {
        if (extras.IpBlocks is { } blocks)
        {
            variables["ALLOWED_DATA_ACCESS_IP_BLOCKS"] = string.Join(",", blocks);
        }

        if (extras.Rules?.GetValueOrDefault(id) is { } rules)
        {
            variables["CUSTOM_RULES_SHA"] = Sha1(rules);
            if (gcp)
            {
                variables["RULES"] = Base64Gzip(rules);
            }
        }

        foreach (var (name, value) in extras.Variables ?? [])
        {
            variables[name] = value;
        }

        return variables;
    }

    /// <summary>aws module: the caller statements get <c>ForAnyValue:IpAddress aws:SourceIp</c> when an allowlist is set.</summary>
    private static JsonObject WithSourceIp(JsonObject statement, string[]? blocks)
    {
        if (blocks is not null)
        {
            var condition = statement["Condition"] as JsonObject ?? [];
            condition["ForAnyValue:IpAddress"] = new JsonObject { ["aws:SourceIp"] = new JsonArray([.. blocks.Select(b => (JsonNode)b)]) };
            statement["Condition"] = condition;
        }

        return statement;
    }

    private static JsonObject AwsVariables(string id, string environment, string version, string ssmRoot)
    {
        var variables = Common(id, version, "aws");
        variables["EXECUTION_ROLE"] = $"arn:aws:iam::{Account}:role/{environment}-{id}_Exec";
        variables["SECRETS_STORE"] = "AWS_SSM_PARAMETER_STORE";
        variables["IDENTITY_POOL_ID"] = PoolId;
        variables["IDENTITY_ID"] = $"{Region}:{GuidOf("identity-" + id)}";
        variables["DEVELOPER_NAME_ID"] = $"{environment}-azure-access";
        variables["IS_DEVELOPMENT_MODE"] = id == "outlook-mail" ? "true" : "false";
        if (ssmRoot.Length > 0)
        {
            variables["PATH_TO_SHARED_CONFIG"] = ssmRoot;
        }

        return variables;
    }

    private static JsonObject GcpVariables(string id, string environment, string version, string secretPrefix)
    {
        var variables = Common(id, version, "gcp");
        variables["PATH_TO_SHARED_CONFIG"] = secretPrefix;
        variables["PATH_TO_INSTANCE_CONFIG"] = secretPrefix + id.ToUpperInvariant().Replace('-', '_') + "_";
        variables["AUDIENCE"] = "api://AzureADTokenExchange";
        variables["DEVELOPER_NAME_ID"] = $"{(environment.Length == 0 ? "psoxy" : environment)}-azure-access";
        variables["IS_DEVELOPMENT_MODE"] = "false";
        return variables;
    }

    private static JsonObject Common(string id, string version, string host) => new()
    {
        ["SOURCE"] = Spec(id).SourceKind,
        ["TARGET_HOST"] = "graph.microsoft.com",
        ["SOURCE_AUTH_STRATEGY_IDENTIFIER"] = "oauth2_refresh_token",
        ["OAUTH_SCOPES"] = "",
        ["GRANT_TYPE"] = "workload_identity_federation",
        ["TOKEN_SCOPE"] = "https://graph.microsoft.com/.default",
        ["REFRESH_ENDPOINT"] = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/token",
        ["CLIENT_ID"] = ClientIdOf(id),
        ["PSEUDONYMIZE_APP_IDS"] = "true",
        ["EMAIL_CANONICALIZATION"] = "IGNORE_DOTS",
        ["REQUEST_TIMEOUT_SECONDS"] = "180",
        ["BUNDLE_FILENAME"] = $"psoxy-{host}-{version}.jar",
    };

    private static JsonObject Document(JsonObject[] resources, JsonObject[] modules, string outputSalt) => new()
    {
        ["format_version"] = "1.0",
        ["terraform_version"] = "1.7.5",
        ["values"] = new JsonObject
        {
            ["outputs"] = new JsonObject
            {
                ["pseudonym_salt"] = new JsonObject { ["sensitive"] = true, ["value"] = outputSalt, ["type"] = "string" },
            },
            ["root_module"] = new JsonObject
            {
                ["resources"] = new JsonArray([.. resources]),
                ["child_modules"] = new JsonArray([.. modules]),
            },
        },
    };

    private static JsonObject Module(string address, JsonObject[] resources, JsonObject[] children) => new()
    {
        ["address"] = address,
        ["resources"] = new JsonArray([.. resources]),
        ["child_modules"] = new JsonArray([.. children]),
    };

    private static JsonObject Resource(string module, string type, string name, object? index, JsonObject values)
    {
        var indexText = index switch
        {
            string s => $"[\"{s}\"]",
            int i => $"[{i}]",
            _ => string.Empty,
        };
        var resource = new JsonObject
        {
            ["address"] = (module.Length == 0 ? string.Empty : module + ".") + $"{type}.{name}{indexText}",
            ["mode"] = "managed",
            ["type"] = type,
            ["name"] = name,
            ["provider_name"] = "registry.terraform.io/hashicorp/" + type.Split('_')[0],
            ["schema_version"] = 0,
            ["values"] = values,
            ["sensitive_values"] = new JsonObject(),
        };
        if (index is string key)
        {
            resource["index"] = key;
        }
        else if (index is int number)
        {
            resource["index"] = number;
        }

        return resource;
    }

    private static string GuidOf(string seed)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed));
        return new Guid(hash[..16]).ToString();
    }

    private static string Hex(string seed) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)))[..32];

    private static string Digits(string seed, int count) =>
        string.Concat(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)).Select(b => (char)('0' + (b % 10))))[..count];

    public static string Text(JsonObject state) => state.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
