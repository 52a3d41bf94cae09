using System.Text.Json;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Tests.Testing;
using Pulumi;

namespace Psoxy.Infra.Tests.Configuration;

/// <summary>
/// The bad-input corpus: invalid stack configurations, each a valid AWS or GCP configuration with a few keys changed
/// or removed, and the exact problems it must produce (key, value and what is allowed), in order. Each case runs the
/// real program under mocks and must stop with exactly that error before any resource is declared.
/// </summary>
/// <remarks>
/// The expected texts are written out here on purpose, not built from the program's constants: a changed message
/// fails a case and has to be reviewed.
/// </remarks>
public sealed class BadInputCorpusTests
{
    // Texts that several cases share, as the user reads them.
    private const string EnvironmentAllowed = "a short environment name used in every resource name: 1 to 20 lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen (e.g. 'dev', 'prod-eu')";
    private const string TenantAllowed = "the Microsoft 365 (Entra ID) tenant id, a GUID such as 6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10 (Entra admin center > Overview > Tenant ID)";
    private const string HostAllowed = "'aws' (an AWS Lambda per connector) or 'gcp' (a Cloud Function per connector)";
    private const string ConnectorsAllowed = "a list of connector ids from: msft-entra-id, outlook-cal, outlook-mail, msft-teams, msft-onedrive, msft-copilot ('azure-ad' is accepted as a deprecated alias of 'msft-entra-id')";
    private const string ConnectorsNotAList = ConnectorsAllowed + ", written as a YAML/JSON list, e.g. [outlook-cal, msft-entra-id] (pulumi config set --path 'psoxy:connectors[0]' outlook-cal)";
    private const string NotAConnector = "not a connector id; allowed: msft-entra-id, outlook-cal, outlook-mail, msft-teams, msft-onedrive, msft-copilot, azure-ad";
    private const string OwnersAllowed = "a list of owners of every Entra application, each a user principal name (alice@contoso.com) or an object id (GUID)";
    private const string ObjectIdAllowed = "allowed: the application's Object ID, a GUID (Entra admin center > App registrations > the app > Overview > Object ID; not its Application (client) ID)";

    private const string AwsObject = "an object with the AWS deployment: accountId (required), region, deploymentBundle (required), callerGcpServiceAccountIds, callerAwsArns, ssmParameterPrefix, logRetentionDays, kmsKeyArn, permissionsBoundaryArn, runtime, memorySize, timeoutSeconds, e.g. { accountId: '123456789012', deploymentBundle: s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar }";
    private const string AwsFields = "not a known field; allowed fields: accountId, region, deploymentBundle, callerGcpServiceAccountIds, callerAwsArns, ssmParameterPrefix, logRetentionDays, kmsKeyArn, permissionsBoundaryArn, runtime, memorySize, timeoutSeconds";
    private const string AccountIdAllowed = "the 12-digit id of the AWS account that hosts the proxy, as a string (e.g. '123456789012')";
    private const string AwsBundleAllowed = "an s3://bucket/key URI of a released Psoxy AWS bundle (.jar or .zip), e.g. s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar, or the path of an existing local .jar/.zip file (relative to the project directory) to upload";
    private const string AwsBundleWrongKind = "neither an s3://bucket/key URI of a .jar or .zip nor an existing local .jar/.zip file (relative paths are resolved against the project directory, where Pulumi.yaml is)";
    private const string GcpCallerIdItem = "not valid in this list; each item must be the 21-digit unique id of a GCP service account of the analytics service (Worklytics > Configuration > Service Account Unique ID)";
    private const string AwsArnItem = "not valid in this list; each item must be an IAM principal ARN: arn:aws:iam::<account>:root, arn:aws:iam::<account>:user/<name> or arn:aws:iam::<account>:role/<name>";
    private const string LogRetentionAllowed = "allowed: a retention CloudWatch Logs supports, in days: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (default 7)";

    private const string Needs21 = "psoxy-aws-0.6.9.jar is Psoxy 0.6.9, which needs Java 21 or later";
    private const string BoundaryAllowed = "the ARN of an IAM managed policy to set as the permissions boundary of every role this program creates: arn:<partition>:iam::<12-digit account or 'aws'>:policy/<path/name>, e.g. arn:aws:iam::123456789012:policy/PsoxyBoundary";
    private const string RegionDiffers = "differs from aws:region = 'us-east-1', the region the AWS provider deploys to; set both to the same region (or remove psoxy:aws.region to use aws:region)";

    private const string GcpObject = "an object with the GCP deployment: projectId (required), region, deploymentBundle (required), worklyticsServiceAccountEmails, testPrincipals, secretReplicaLocations, runtime, memory, timeoutSeconds, maxInstances, instanceConcurrency, availableCpu, e.g. { projectId: acme-psoxy, deploymentBundle: gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip }";
    private const string GcpFields = "not a known field; allowed fields: projectId, region, deploymentBundle, worklyticsServiceAccountEmails, testPrincipals, secretReplicaLocations, runtime, memory, timeoutSeconds, maxInstances, instanceConcurrency, availableCpu";
    private const string ProjectIdAllowed = "the id of the GCP project that hosts the proxy: 6-30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (e.g. acme-psoxy-prod)";
    private const string GcpBundleAllowed = "a gs://bucket/object.zip URI of a released Psoxy GCP bundle, e.g. gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip, or the path of an existing local .zip file (relative to the project directory) to upload";
    private const string GcpBundleWrongKind = "neither a gs://bucket/object.zip URI nor an existing local .zip file (relative paths are resolved against the project directory, where Pulumi.yaml is)";
    private const string TestPrincipalItem = "not valid in this list; each item must be an IAM member 'user:<email>' or 'serviceAccount:<email>' (never allUsers or allAuthenticatedUsers)";
    private const string GcpMemoryAllowed = "allowed: a Cloud Functions (2nd gen) memory size from 128M to 32Gi, such as 512M, 1024M or 2Gi (default 1024M)";
    private const string GcpRegionAllowed = "allowed: a GCP region such as us-central1 (default us-central1)";

    private const string AllKeys = "psoxy:environment, psoxy:msftTenantId, psoxy:connectors, psoxy:host, psoxy:msftOwners, psoxy:auth, psoxy:existingApplications, psoxy:existingApplicationDisplayNames, psoxy:grantAdminConsent, psoxy:protectApplications, psoxy:certificateValidityDays, psoxy:pseudonymSalt, psoxy:encryptionKey, psoxy:pseudonymizeAppIds, psoxy:emailCanonicalization, psoxy:nonProductionConnectors, psoxy:environmentVariables, psoxy:allowedDataAccessIpBlocks, psoxy:customRules, psoxy:aws, psoxy:gcp";

    private const string IpBlocksAllowed = "a non-empty list of IP addresses or CIDR blocks allowed to request data, e.g. [203.0.113.0/24, 198.51.100.7]; omit the key for no restriction";
    private const string NotAnIpBlock = "not an IP address or CIDR block (each part 0-255, prefix up to /32 for IPv4 and /128 for IPv6); allowed: " + IpBlocksAllowed;
    private const string ManagedVariable = " is set by Psoxy.Infra itself; remove it (allowed: any other name, not one of ALLOWED_DATA_ACCESS_IP_BLOCKS, AUDIENCE, BUNDLE_FILENAME, CLIENT_ID, CUSTOM_RULES_SHA, DEVELOPER_NAME_ID, EMAIL_CANONICALIZATION, GRANT_TYPE, IDENTITY_ID, IDENTITY_POOL_ID, IS_DEVELOPMENT_MODE, OAUTH_SCOPES, PATH_TO_INSTANCE_CONFIG, PATH_TO_SHARED_CONFIG, PRIVATE_KEY, PRIVATE_KEY_ID, PSEUDONYMIZE_APP_IDS, PSOXY_ENCRYPTION_KEY, PSOXY_SALT, REFRESH_ENDPOINT, REQUEST_TIMEOUT_SECONDS, RULES, SECRETS_STORE, SOURCE, SOURCE_AUTH_STRATEGY_IDENTIFIER, TARGET_HOST, TOKEN_SCOPE)";

    // Rules files of the corpus, relative to the project directory (the repository root) as a stack file would name them.
    private const string RulesDir = "Psoxy.Infra.Tests/Configuration/CustomRules/";
    private const string RulesAllowed = "a map from an enabled connector id to the path of its YAML rules file (relative to the project directory, where Pulumi.yaml is, or absolute), e.g. { outlook-mail: custom-rules/outlook-mail.yaml }";
    private const string RulesFileAllowed = "allowed: a YAML file of Psoxy rules, e.g. 'endpoints:' with a list of endpoints and their transforms";
    private const string RulesMissing = "no such file (a relative path is resolved against the project directory, where Pulumi.yaml is); allowed: the path of an existing YAML rules file";

    private const string RoleArnAllowed = "allowed: an IAM role ARN such as arn:aws:iam::123456789012:role/deployer";
    private const string GoDurationAllowed = "allowed: a Go duration from 15m to 12h, as the AWS provider documents (units ns, us, ms, s, m, h), e.g. \"1h\", \"15m\", \"1h30m\" (not bare seconds)";

    private const string Tenant = "6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10";
    private const string AppA = "0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d";
    private const string AppB = "1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a";
    private const string CallerId = "123456789012345678901";

    private enum Base
    {
        Aws,
        Gcp,
    }

    /// <summary>
    /// One invalid configuration: <paramref name="Changes"/> applied to the valid configuration of <paramref name="On"/>
    /// (full keys; <c>psoxy:aws.field</c> changes one field of a host object; a null value removes the key or field).
    /// </summary>
    private sealed record BadInput(string Name, Base On, (string Key, object? Value)[] Changes, string[] Problems)
    {
        /// <summary>A value that must never appear in the error (a secret).</summary>
        public string? Secret { get; init; }
    }

    private static BadInput Aws(string name, (string Key, object? Value)[] changes, params string[] problems) => new(name, Base.Aws, changes, problems);

    private static BadInput Gcp(string name, (string Key, object? Value)[] changes, params string[] problems) => new(name, Base.Gcp, changes, problems);

    private static readonly BadInput[] Corpus =
    [
        // Missing required keys.
        Aws("missing environment", [("psoxy:environment", null)],
            "psoxy:environment is not set; set it to " + EnvironmentAllowed),
        Gcp("missing msftTenantId", [("psoxy:msftTenantId", null)],
            "psoxy:msftTenantId is not set; set it to " + TenantAllowed),
        Aws("missing connectors", [("psoxy:connectors", null)],
            "psoxy:connectors is not set; set it to " + ConnectorsAllowed),
        Gcp("missing host", [("psoxy:host", null)],
            "psoxy:host is not set; set it to " + HostAllowed),
        Aws("missing psoxy:aws", [("psoxy:aws", null)],
            "psoxy:aws is not set; set it to " + AwsObject),
        Gcp("missing psoxy:gcp", [("psoxy:gcp", null)],
            "psoxy:gcp is not set; set it to " + GcpObject),
        Aws("missing aws.accountId", [("psoxy:aws.accountId", null)],
            "psoxy:aws.accountId is not set; set it to " + AccountIdAllowed),
        Aws("missing aws.deploymentBundle", [("psoxy:aws.deploymentBundle", null)],
            "psoxy:aws.deploymentBundle is not set; set it to " + AwsBundleAllowed),
        Aws("null aws.deploymentBundle", [("psoxy:aws.deploymentBundle", JsonDocument.Parse("null").RootElement)],
            "psoxy:aws.deploymentBundle is not set; set it to " + AwsBundleAllowed),
        Gcp("missing gcp.projectId", [("psoxy:gcp.projectId", null)],
            "psoxy:gcp.projectId is not set; set it to " + ProjectIdAllowed),
        Gcp("missing gcp.deploymentBundle", [("psoxy:gcp.deploymentBundle", null)],
            "psoxy:gcp.deploymentBundle is not set; set it to " + GcpBundleAllowed),
        Aws("missing every required key", [("psoxy:environment", null), ("psoxy:msftTenantId", null), ("psoxy:connectors", null), ("psoxy:host", null), ("psoxy:aws", null)],
            "psoxy:environment is not set; set it to " + EnvironmentAllowed,
            "psoxy:msftTenantId is not set; set it to " + TenantAllowed,
            "psoxy:connectors is not set; set it to " + ConnectorsAllowed,
            "psoxy:host is not set; set it to " + HostAllowed),

        // Wrong types.
        Aws("connectors as a string", [("psoxy:connectors", "outlook-cal")],
            "psoxy:connectors = 'outlook-cal': allowed: " + ConnectorsNotAList),
        Gcp("connectors as a comma-separated string", [("psoxy:connectors", "outlook-cal,outlook-mail")],
            "psoxy:connectors = 'outlook-cal,outlook-mail': allowed: " + ConnectorsNotAList),
        Aws("connectors as a number", [("psoxy:connectors", "3")],
            "psoxy:connectors = '3': allowed: " + ConnectorsNotAList),
        Gcp("connectors as an object", [("psoxy:connectors", new Dictionary<string, object> { ["outlook-cal"] = true })],
            "psoxy:connectors = '{\"outlook-cal\":true}': allowed: " + ConnectorsNotAList),
        Aws("connectors with a non-string item", [("psoxy:connectors", new object[] { "outlook-cal", 42 })],
            "psoxy:connectors = '[\"outlook-cal\",42]': allowed: " + ConnectorsNotAList),
        Gcp("connectors empty", [("psoxy:connectors", Array.Empty<string>())],
            "psoxy:connectors = '[]': allowed: " + ConnectorsAllowed + "; at least one is needed"),
        Aws("psoxy:aws as a string", [("psoxy:aws", "123456789012")],
            "psoxy:aws = '123456789012': allowed: an object; " + AwsObject),
        Gcp("psoxy:gcp as a list", [("psoxy:gcp", new[] { "psoxy-test" })],
            "psoxy:gcp = '[\"psoxy-test\"]': allowed: an object; " + GcpObject),
        Aws("grantAdminConsent yes", [("psoxy:grantAdminConsent", "yes")],
            "psoxy:grantAdminConsent = 'yes': allowed: true or false (default false)"),
        Gcp("protectApplications no", [("psoxy:protectApplications", "no")],
            "psoxy:protectApplications = 'no': allowed: true or false (default true)"),
        Aws("pseudonymizeAppIds 1", [("psoxy:pseudonymizeAppIds", "1")],
            "psoxy:pseudonymizeAppIds = '1': allowed: true or false (default true)"),
        Gcp("certificateValidityDays 12x", [("psoxy:certificateValidityDays", "12x")],
            "psoxy:certificateValidityDays = '12x': allowed: a whole number from 30 to 730 (default 180)"),
        Aws("certificateValidityDays negative", [("psoxy:certificateValidityDays", "-90")],
            "psoxy:certificateValidityDays = '-90': allowed: a whole number from 30 to 730 (default 180)"),
        Gcp("certificateValidityDays above the maximum", [("psoxy:certificateValidityDays", "3650")],
            "psoxy:certificateValidityDays = '3650': allowed: a whole number from 30 to 730 (default 180)"),
        Aws("auth unknown", [("psoxy:auth", "client-secret")],
            "psoxy:auth = 'client-secret': allowed: 'federated' (default; workload identity federation, no secrets) or 'certificate' (deprecated)"),
        Aws("aws.logRetentionDays not a CloudWatch period", [("psoxy:aws.logRetentionDays", 10)],
            "psoxy:aws.logRetentionDays = '10': " + LogRetentionAllowed),
        Aws("aws.logRetentionDays above every period", [("psoxy:aws.logRetentionDays", "5000")],
            "psoxy:aws.logRetentionDays = '5000': " + LogRetentionAllowed),
        Aws("aws.logRetentionDays as words", [("psoxy:aws.logRetentionDays", "a week")],
            "psoxy:aws.logRetentionDays = 'a week': " + LogRetentionAllowed),
        Aws("aws.memorySize below the minimum", [("psoxy:aws.memorySize", 64)],
            "psoxy:aws.memorySize = '64': allowed: a whole number from 128 to 10240 MB (default 512)"),
        Aws("aws.memorySize with a unit", [("psoxy:aws.memorySize", "512MB")],
            "psoxy:aws.memorySize = '512MB': allowed: a whole number from 128 to 10240 MB (default 512)"),
        Aws("aws.timeoutSeconds above the Lambda maximum", [("psoxy:aws.timeoutSeconds", 901)],
            "psoxy:aws.timeoutSeconds = '901': allowed: a whole number from 1 to 900 seconds (default 180)"),
        Aws("aws.runtime unsupported", [("psoxy:aws.runtime", "java11")],
            "psoxy:aws.runtime = 'java11': allowed: a Lambda Java runtime the Psoxy bundle runs on: java21, java25 (default java25); " + Needs21),

        // Runtimes the configured bundle does not run on: Psoxy 0.6 and later need Java 21+.
        Aws("aws.runtime java17 for a 0.6 bundle", [("psoxy:aws.runtime", "java17")],
            "psoxy:aws.runtime = 'java17': allowed: a Lambda Java runtime the Psoxy bundle runs on: java21, java25 (default java25); " + Needs21),
        Gcp("gcp.runtime java17 for a 0.6 bundle", [("psoxy:gcp.runtime", "java17")],
            "psoxy:gcp.runtime = 'java17': allowed: a Cloud Functions Java runtime the Psoxy bundle runs on: java21, java25 (default java25); psoxy-gcp-0.6.9.zip is Psoxy 0.6.9, which needs Java 21 or later"),
        Aws("aws.runtime java17 for a bundle named without a version", [("psoxy:aws.deploymentBundle", "s3://acme-artifacts/psoxy-aws.jar"), ("psoxy:aws.runtime", "java17")],
            "psoxy:aws.runtime = 'java17': allowed: a Lambda Java runtime the Psoxy bundle runs on: java21, java25 (default java25); Psoxy 0.6 and later need Java 21 or later, and the bundle's file name carries no version, so 0.6 or later is assumed"),
        Gcp("gcp.runtime java11 for a 0.5 bundle", [("psoxy:gcp.deploymentBundle", "gs://psoxy-public-artifacts/psoxy-gcp-0.5.18.zip"), ("psoxy:gcp.runtime", "java11")],
            "psoxy:gcp.runtime = 'java11': allowed: a Cloud Functions Java runtime the Psoxy bundle runs on: java17, java21, java25 (default java25); psoxy-gcp-0.5.18.zip is Psoxy 0.5.18, built for Java 17"),

        // Permissions boundaries: IAM managed policies only.
        Aws("aws.permissionsBoundaryArn a role", [("psoxy:aws.permissionsBoundaryArn", "arn:aws:iam::123456789012:role/Boundary")],
            "psoxy:aws.permissionsBoundaryArn = 'arn:aws:iam::123456789012:role/Boundary': allowed: " + BoundaryAllowed),
        Aws("aws.permissionsBoundaryArn a bare policy name", [("psoxy:aws.permissionsBoundaryArn", "PsoxyBoundary")],
            "psoxy:aws.permissionsBoundaryArn = 'PsoxyBoundary': allowed: " + BoundaryAllowed),
        Aws("aws.permissionsBoundaryArn a short account id", [("psoxy:aws.permissionsBoundaryArn", "arn:aws:iam::1234:policy/PsoxyBoundary")],
            "psoxy:aws.permissionsBoundaryArn = 'arn:aws:iam::1234:policy/PsoxyBoundary': allowed: " + BoundaryAllowed),

        // What `pulumi up` would refuse: a bundle Lambda cannot load, a provider deploying elsewhere.
        Aws("aws.deploymentBundle in another region's public bucket", [("psoxy:aws.deploymentBundle", "s3://psoxy-public-artifacts-us-west-2/psoxy-aws-0.6.9.jar")],
            "psoxy:aws.deploymentBundle = 's3://psoxy-public-artifacts-us-west-2/psoxy-aws-0.6.9.jar': Psoxy's public bucket of us-west-2, but the proxies run in us-east-1 and Lambda loads code only from a bucket in its own region; allowed: the same bundle in us-east-1's bucket, s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar, or a bucket of your own in us-east-1, or a local file"),
        Aws("aws.region differs from aws:region", [("psoxy:aws.region", "eu-west-1"), ("psoxy:aws.deploymentBundle", "s3://psoxy-public-artifacts-eu-west-1/psoxy-aws-0.6.9.jar")],
            "psoxy:aws.region = 'eu-west-1': " + RegionDiffers),
        Aws("aws.region differs from aws:region and from the bundle's region", [("psoxy:aws.region", "eu-west-1")],
            "psoxy:aws.region = 'eu-west-1': " + RegionDiffers,
            "psoxy:aws.deploymentBundle = 's3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar': Psoxy's public bucket of us-east-1, but the proxies run in eu-west-1 and Lambda loads code only from a bucket in its own region; allowed: the same bundle in eu-west-1's bucket, s3://psoxy-public-artifacts-eu-west-1/psoxy-aws-0.6.9.jar, or a bucket of your own in eu-west-1, or a local file"),
        Gcp("gcp:project differs from gcp.projectId", [("gcp:project", "someone-elses-project")],
            "psoxy:gcp.projectId = 'psoxy-test': differs from gcp:project = 'someone-elses-project', the project the GCP provider deploys to; set both to the project that should host the proxies"),
        Gcp("gcp.maxInstances zero", [("psoxy:gcp.maxInstances", 0)],
            "psoxy:gcp.maxInstances = '0': allowed: a whole number from 1 to 1000 (default 20)"),
        Gcp("gcp.maxInstances fractional", [("psoxy:gcp.maxInstances", 2.5)],
            "psoxy:gcp.maxInstances = '2.5': allowed: a whole number from 1 to 1000 (default 20)"),
        Gcp("gcp.timeoutSeconds above the maximum", [("psoxy:gcp.timeoutSeconds", 3601)],
            "psoxy:gcp.timeoutSeconds = '3601': allowed: a whole number from 1 to 3600 seconds (default 180)"),
        Gcp("gcp.memory without a unit", [("psoxy:gcp.memory", "1024")],
            "psoxy:gcp.memory = '1024': " + GcpMemoryAllowed),
        Gcp("gcp.memory above the Cloud Functions maximum", [("psoxy:gcp.memory", "64Gi")],
            "psoxy:gcp.memory = '64Gi': " + GcpMemoryAllowed),
        Gcp("gcp.memory below the Cloud Functions minimum", [("psoxy:gcp.memory", "64M")],
            "psoxy:gcp.memory = '64M': " + GcpMemoryAllowed),
        Gcp("gcp.memory too large to count", [("psoxy:gcp.memory", "99999999999999999999Gi")],
            "psoxy:gcp.memory = '99999999999999999999Gi': " + GcpMemoryAllowed),
        Gcp("gcp.maxInstances above the Cloud Functions maximum", [("psoxy:gcp.maxInstances", 1001)],
            "psoxy:gcp.maxInstances = '1001': allowed: a whole number from 1 to 1000 (default 20)"),
        Aws("aws.memorySize above the Lambda maximum", [("psoxy:aws.memorySize", 10241)],
            "psoxy:aws.memorySize = '10241': allowed: a whole number from 128 to 10240 MB (default 512)"),
        Aws("aws.memorySize beyond any integer", [("psoxy:aws.memorySize", 99999999999999999999m)],
            "psoxy:aws.memorySize = '99999999999999999999': allowed: a whole number from 128 to 10240 MB (default 512)"),
        Aws("aws.timeoutSeconds zero", [("psoxy:aws.timeoutSeconds", 0)],
            "psoxy:aws.timeoutSeconds = '0': allowed: a whole number from 1 to 900 seconds (default 180)"),

        // Malformed ids.
        Gcp("tenant a domain name", [("psoxy:msftTenantId", "contoso.onmicrosoft.com")],
            "psoxy:msftTenantId = 'contoso.onmicrosoft.com': allowed: " + TenantAllowed),
        Aws("tenant in braces", [("psoxy:msftTenantId", "{" + Tenant + "}")],
            "psoxy:msftTenantId = '{6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10}': allowed: " + TenantAllowed),
        Aws("aws.accountId of 11 digits", [("psoxy:aws.accountId", "12345678901")],
            "psoxy:aws.accountId = '12345678901': allowed: " + AccountIdAllowed),
        Aws("aws.accountId of 13 digits", [("psoxy:aws.accountId", "1234567890123")],
            "psoxy:aws.accountId = '1234567890123': allowed: " + AccountIdAllowed),
        Aws("aws.accountId with letters", [("psoxy:aws.accountId", "12345678901O")],
            "psoxy:aws.accountId = '12345678901O': allowed: " + AccountIdAllowed),
        Aws("aws.accountId as a number", [("psoxy:aws.accountId", 123456789012L)],
            "psoxy:aws.accountId = '123456789012': allowed: " + AccountIdAllowed),
        Gcp("gcp.projectId uppercase", [("psoxy:gcp.projectId", "Psoxy-Test")],
            "psoxy:gcp.projectId = 'Psoxy-Test': allowed: " + ProjectIdAllowed),
        Gcp("gcp.projectId too short", [("psoxy:gcp.projectId", "psoxy")],
            "psoxy:gcp.projectId = 'psoxy': allowed: " + ProjectIdAllowed),
        Gcp("gcp.projectId too long", [("psoxy:gcp.projectId", "acme-psoxy-production-europe-01")],
            "psoxy:gcp.projectId = 'acme-psoxy-production-europe-01': allowed: " + ProjectIdAllowed),
        Gcp("gcp.projectId ending with a hyphen", [("psoxy:gcp.projectId", "psoxy-test-")],
            "psoxy:gcp.projectId = 'psoxy-test-': allowed: " + ProjectIdAllowed),
        Aws("aws caller id of 20 digits", [("psoxy:aws.callerGcpServiceAccountIds", new[] { "12345678901234567890" })],
            "psoxy:aws.callerGcpServiceAccountIds = '12345678901234567890': " + GcpCallerIdItem),
        Aws("aws caller id as an email", [("psoxy:aws.callerGcpServiceAccountIds", new[] { CallerId, "acme@worklytics-prod.iam.gserviceaccount.com" })],
            "psoxy:aws.callerGcpServiceAccountIds = 'acme@worklytics-prod.iam.gserviceaccount.com': " + GcpCallerIdItem),
        Aws("aws caller ids not a list", [("psoxy:aws.callerGcpServiceAccountIds", CallerId)],
            "psoxy:aws.callerGcpServiceAccountIds = '123456789012345678901': allowed: a list, each item the 21-digit unique id of a GCP service account of the analytics service (Worklytics > Configuration > Service Account Unique ID)"),
        Aws("aws caller ARNs malformed", [("psoxy:aws.callerAwsArns", new[] { "arn:aws:iam::123456789012:group/admins", "*", "arn:aws:iam::123456789012:role/psoxy-tester", "arn:aws:iam::12345678901:root" })],
            "psoxy:aws.callerAwsArns = 'arn:aws:iam::123456789012:group/admins': " + AwsArnItem,
            "psoxy:aws.callerAwsArns = '*': " + AwsArnItem,
            "psoxy:aws.callerAwsArns = 'arn:aws:iam::12345678901:root': " + AwsArnItem),
        Aws("aws.kmsKeyArn an alias", [("psoxy:aws.kmsKeyArn", "arn:aws:kms:us-east-1:123456789012:alias/psoxy")],
            "psoxy:aws.kmsKeyArn = 'arn:aws:kms:us-east-1:123456789012:alias/psoxy': allowed: the ARN of a KMS key, arn:aws:kms:<region>:<account>:key/<key id>"),
        Aws("aws.kmsKeyArn a bare key id", [("psoxy:aws.kmsKeyArn", "1234abcd-12ab-34cd-56ef-1234567890ab")],
            "psoxy:aws.kmsKeyArn = '1234abcd-12ab-34cd-56ef-1234567890ab': allowed: the ARN of a KMS key, arn:aws:kms:<region>:<account>:key/<key id>"),
        Gcp("gcp Worklytics account not a service account", [("psoxy:gcp.worklyticsServiceAccountEmails", new[] { "acme-tenant@worklytics.co" })],
            "psoxy:gcp.worklyticsServiceAccountEmails = 'acme-tenant@worklytics.co': not valid in this list; each item must be the email of a GCP service account, e.g. acme-tenant@worklytics-prod.iam.gserviceaccount.com (Worklytics > Configuration)"),
        Gcp("gcp test principals public", [("psoxy:gcp.testPrincipals", new[] { "allUsers", "allAuthenticatedUsers" })],
            "psoxy:gcp.testPrincipals = 'allUsers': " + TestPrincipalItem,
            "psoxy:gcp.testPrincipals = 'allAuthenticatedUsers': " + TestPrincipalItem),
        Gcp("gcp test principals group and bad user", [("psoxy:gcp.testPrincipals", new[] { "group:x", "user:not-an-email", "user:alice@contoso.example" })],
            "psoxy:gcp.testPrincipals = 'group:x': " + TestPrincipalItem,
            "psoxy:gcp.testPrincipals = 'user:not-an-email': " + TestPrincipalItem),
        Gcp("gcp test principal without a prefix", [("psoxy:gcp.testPrincipals", new[] { "alice@contoso.example" })],
            "psoxy:gcp.testPrincipals = 'alice@contoso.example': " + TestPrincipalItem),
        Aws("owners neither name nor id", [("psoxy:msftOwners", new[] { "alice", "alice@contoso.example", "a11ce000000040008000000000000002" })],
            "psoxy:msftOwners = 'alice': not a user principal name or object id; allowed: " + OwnersAllowed,
            "psoxy:msftOwners = 'a11ce000000040008000000000000002': not a user principal name or object id; allowed: " + OwnersAllowed),
        Gcp("owners not a list", [("psoxy:msftOwners", "alice@contoso.example")],
            "psoxy:msftOwners = 'alice@contoso.example': allowed: " + OwnersAllowed),
        Aws("existing application by client id name", [("psoxy:existingApplications", new Dictionary<string, object> { ["outlook-cal"] = "psoxy-outlook-cal" })],
            "psoxy:existingApplications = 'outlook-cal: psoxy-outlook-cal': " + ObjectIdAllowed),
        Gcp("existing application not a map", [("psoxy:existingApplications", new[] { AppA })],
            "psoxy:existingApplications = '[\"0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d\"]': allowed: a map from an enabled connector id to the object id (GUID) of an Entra application an admin created for it, e.g. { outlook-cal: 6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10 }"),

        Aws("display name of an application not adopted", [("psoxy:existingApplicationDisplayNames", new Dictionary<string, object> { ["outlook-cal"] = "Psoxy Connector - Outlook Calendar psoxy " })],
            "psoxy:existingApplicationDisplayNames = 'outlook-cal': no application of this connector is in psoxy:existingApplications; allowed keys: the connectors of psoxy:existingApplications"),
        Gcp("blank display name of an adopted application",
            [("psoxy:existingApplications", new Dictionary<string, object> { ["outlook-cal"] = AppA }), ("psoxy:existingApplicationDisplayNames", new Dictionary<string, object> { ["outlook-cal"] = "  " })],
            "psoxy:existingApplicationDisplayNames = 'outlook-cal: \"  \"': allowed: the application's display name, 1 to 256 characters"),
        // Unknown connectors.
        Aws("connector case variant", [("psoxy:connectors", new[] { "Outlook-Cal" })],
            "psoxy:connectors = 'Outlook-Cal': " + NotAConnector),
        Gcp("connector upper case", [("psoxy:connectors", new[] { "outlook-cal", "MSFT-TEAMS" })],
            "psoxy:connectors = 'MSFT-TEAMS': " + NotAConnector),
        Aws("connector typo", [("psoxy:connectors", new[] { "outlook-calender" })],
            "psoxy:connectors = 'outlook-calender': " + NotAConnector),
        Gcp("connector of another source", [("psoxy:connectors", new[] { "gdrive", "outlook-mail" })],
            "psoxy:connectors = 'gdrive': " + NotAConnector),
        Aws("connector with a trailing space", [("psoxy:connectors", new[] { "msft-teams " })],
            "psoxy:connectors = 'msft-teams ': " + NotAConnector),
        Gcp("existing application for an unknown connector", [("psoxy:existingApplications", new Dictionary<string, object> { ["outlook-calendar"] = AppA })],
            "psoxy:existingApplications = 'outlook-calendar': not a connector id; allowed keys: the ids in psoxy:connectors"),

        // Duplicates.
        Aws("connector listed twice", [("psoxy:connectors", new[] { "outlook-cal", "outlook-mail", "outlook-cal" })],
            "psoxy:connectors = '[\"outlook-cal\",\"outlook-mail\",\"outlook-cal\"]': 'outlook-cal' is listed twice; each connector may appear once"),
        Gcp("connector alias and canonical id", [("psoxy:connectors", new[] { "msft-entra-id", "azure-ad" })],
            "psoxy:connectors = '[\"msft-entra-id\",\"azure-ad\"]': 'msft-entra-id' and 'azure-ad' are the same connector; each connector may appear once"),
        Aws("aws caller id listed twice", [("psoxy:aws.callerGcpServiceAccountIds", new[] { CallerId, CallerId })],
            "psoxy:aws.callerGcpServiceAccountIds = '123456789012345678901': listed twice; each item may appear once"),
        Aws("aws caller ARN listed twice", [("psoxy:aws.callerAwsArns", new[] { "arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:root" })],
            "psoxy:aws.callerAwsArns = 'arn:aws:iam::123456789012:root': listed twice; each item may appear once"),
        Gcp("gcp test principal listed twice", [("psoxy:gcp.testPrincipals", new[] { "user:alice@contoso.example", "user:alice@contoso.example" })],
            "psoxy:gcp.testPrincipals = 'user:alice@contoso.example': listed twice; each item may appear once"),
        Gcp("same application adopted twice", [("psoxy:connectors", new[] { "outlook-cal", "outlook-mail" }), ("psoxy:existingApplications", new Dictionary<string, object> { ["outlook-cal"] = AppA, ["outlook-mail"] = AppA.ToUpperInvariant() })],
            "psoxy:existingApplications = 'outlook-mail: 0C9B8A7D-6E5F-4A3B-2C1D-0E9F8A7B6C5D': the same application is already adopted for 'outlook-cal'; each connector needs its own application"),
        Aws("existing application under alias and canonical id", [("psoxy:connectors", new[] { "msft-entra-id" }), ("psoxy:existingApplications", new Dictionary<string, object> { ["msft-entra-id"] = AppA, ["azure-ad"] = AppB })],
            "psoxy:existingApplications = 'azure-ad': 'msft-entra-id' and 'azure-ad' are the same connector; each connector may have one application"),

        // Conflicting options.
        Aws("psoxy:gcp with host aws", [("psoxy:gcp", new Dictionary<string, object> { ["projectId"] = StackRun.GcpProjectId, ["deploymentBundle"] = StackRun.GcpBundle })],
            "psoxy:gcp = '{\"projectId\":\"psoxy-test\",\"deploymentBundle\":\"gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip\"}': only the object of the chosen host is allowed: psoxy:host is 'aws', so remove psoxy:gcp (or change psoxy:host)"),
        Gcp("psoxy:aws with host gcp", [("psoxy:aws", new Dictionary<string, object> { ["accountId"] = StackRun.AwsAccountId, ["deploymentBundle"] = StackRun.AwsBundle })],
            "psoxy:aws = '{\"accountId\":\"123456789012\",\"deploymentBundle\":\"s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar\"}': only the object of the chosen host is allowed: psoxy:host is 'gcp', so remove psoxy:aws (or change psoxy:host)"),
        Aws("host switched to gcp without its object", [("psoxy:host", "gcp")],
            "psoxy:aws = '{\"accountId\":\"123456789012\",\"deploymentBundle\":\"s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar\"}': only the object of the chosen host is allowed: psoxy:host is 'gcp', so remove psoxy:aws (or change psoxy:host)",
            "psoxy:gcp is not set; set it to " + GcpObject),
        Gcp("host unknown", [("psoxy:host", "azure")],
            "psoxy:host = 'azure': allowed: " + HostAllowed),
        Aws("host upper case", [("psoxy:host", "AWS")],
            "psoxy:host = 'AWS': allowed: " + HostAllowed),
        Aws("existing application for a connector not enabled", [("psoxy:existingApplications", new Dictionary<string, object> { ["outlook-mail"] = AppA })],
            "psoxy:existingApplications = 'outlook-mail': this connector is not in psoxy:connectors; allowed keys: the enabled connectors"),
        Gcp("non-production connector not enabled", [("psoxy:nonProductionConnectors", new[] { "outlook-cal", "msft-teams" })],
            "psoxy:nonProductionConnectors = 'msft-teams': not an enabled connector; allowed: ids listed in psoxy:connectors"),
        Aws("non-production connectors not a list", [("psoxy:nonProductionConnectors", "outlook-cal")],
            "psoxy:nonProductionConnectors = 'outlook-cal': allowed: a list of enabled connector ids to run in development mode, e.g. [outlook-cal]"),

        // Names.
        Aws("environment of 21 characters", [("psoxy:environment", "abcdefghij0123456789x")],
            "psoxy:environment = 'abcdefghij0123456789x': allowed: " + EnvironmentAllowed),
        Gcp("environment with an underscore", [("psoxy:environment", "prod_eu")],
            "psoxy:environment = 'prod_eu': allowed: " + EnvironmentAllowed),
        Aws("environment upper case", [("psoxy:environment", "Prod")],
            "psoxy:environment = 'Prod': allowed: " + EnvironmentAllowed),
        Gcp("environment ending with a hyphen", [("psoxy:environment", "dev-")],
            "psoxy:environment = 'dev-': allowed: " + EnvironmentAllowed),
        Aws("environment with a double hyphen", [("psoxy:environment", "prod--eu")],
            "psoxy:environment = 'prod--eu': allowed: " + EnvironmentAllowed),
        Gcp("environment empty", [("psoxy:environment", "")],
            "psoxy:environment = '': allowed: " + EnvironmentAllowed),
        Aws("environment far too long is shown truncated", [("psoxy:environment", new string('e', 130))],
            "psoxy:environment = '" + new string('e', 120) + "…': allowed: " + EnvironmentAllowed),

        // Wrong host objects.
        Aws("aws field typo acountId", [("psoxy:aws.accountId", null), ("psoxy:aws.acountId", StackRun.AwsAccountId)],
            "psoxy:aws.acountId = '123456789012': " + AwsFields,
            "psoxy:aws.accountId is not set; set it to " + AccountIdAllowed),
        Aws("aws field of the gcp object", [("psoxy:aws.projectId", StackRun.GcpProjectId)],
            "psoxy:aws.projectId = 'psoxy-test': " + AwsFields),
        Gcp("gcp field typo project", [("psoxy:gcp.projectId", null), ("psoxy:gcp.project", StackRun.GcpProjectId)],
            "psoxy:gcp.project = 'psoxy-test': " + GcpFields,
            "psoxy:gcp.projectId is not set; set it to " + ProjectIdAllowed),
        Aws("aws.region upper case", [("psoxy:aws.region", "US-EAST-1")],
            "psoxy:aws.region = 'US-EAST-1': not a known region; allowed: an AWS region such as us-east-1 (nearest known: us-east-1, us-east-2, ap-east-1)"),
        Aws("aws.region an availability zone", [("psoxy:aws.region", "us-east-1a")],
            "psoxy:aws.region = 'us-east-1a': not a known region; allowed: an AWS region such as us-east-1 (nearest known: us-east-1, us-east-2, ap-east-1)"),
        Gcp("gcp.region a multi-region", [("psoxy:gcp.region", "us")],
            "psoxy:gcp.region = 'us': " + GcpRegionAllowed),
        Gcp("gcp.region a zone", [("psoxy:gcp.region", "us-central1-a")],
            "psoxy:gcp.region = 'us-central1-a': " + GcpRegionAllowed),
        Aws("aws.region that does not exist", [("psoxy:aws.region", "us-est-1")],
            "psoxy:aws.region = 'us-est-1': not a known region; allowed: an AWS region such as us-east-1 (nearest known: us-east-1, us-west-1, us-east-2)"),
        Aws("aws:region that does not exist", [("aws:region", "eu-wset-1"), ("psoxy:aws.deploymentBundle", "s3://my-bucket/psoxy-aws-0.6.9.jar")],
            "aws:region = 'eu-wset-1': not a known region; allowed: an AWS region such as us-east-1 (nearest known: eu-west-1, eu-west-2, eu-west-3)"),
        // The AWS provider's credential keys, which the program's own AWS calls follow (issue 18, item 8).
        Aws("aws:assumeRole, not a key of provider v7", [("aws:assumeRole", "{\"roleArn\": \"arn:aws:iam::123456789012:role/deployer\"}")],
            "aws:assumeRole = '[value not shown]': not a key of the AWS provider v7, which ignores it; move the role to aws:assumeRoles, a list: pulumi config rm aws:assumeRole && pulumi config set --path 'aws:assumeRoles[0].roleArn' <role ARN>"),
        Aws("aws:assumeRoles duration in bare seconds, short role ARN", [("aws:assumeRoles", "[{\"roleArn\": \"arn:aws:iam::123:role/deployer\", \"duration\": \"900\"}, {\"roleArn\": \"arn:aws:iam::123456789012:role/second\", \"duration\": 3600}]")],
            "aws:assumeRoles[0].roleArn = 'arn:aws:iam::123:role/deployer': " + RoleArnAllowed,
            "aws:assumeRoles[0].duration = '\"900\"': " + GoDurationAllowed,
            "aws:assumeRoles[1].duration = '3600': " + GoDurationAllowed),
        Aws("aws:assumeRoles not a list", [("aws:assumeRoles", "{\"roleArn\": \"arn:aws:iam::123456789012:role/deployer\"}")],
            "aws:assumeRoles = '{\"roleArn\": \"arn:aws:iam::123456789012:role/deployer\"}': allowed: a JSON array of objects with at least roleArn, e.g. [{\"roleArn\": \"arn:aws:iam::123456789012:role/deployer\"}] (pulumi config set --path 'aws:assumeRoles[0].roleArn' <role ARN>)"),
        Aws("aws:assumeRoleWithWebIdentity bad role, missing token file, duration", [("aws:assumeRoleWithWebIdentity", "{\"roleArn\": \"deployer\", \"webIdentityTokenFile\": \"no-such-token-file\", \"duration\": \"2d\", \"sesionName\": \"ci\"}")],
            "aws:assumeRoleWithWebIdentity.sesionName = '[value not shown]': not a field of aws:assumeRoleWithWebIdentity (did you mean 'sessionName'?); allowed fields: roleArn, sessionName, webIdentityToken, webIdentityTokenFile, duration, policy, policyArns",
            "aws:assumeRoleWithWebIdentity.roleArn = 'deployer': " + RoleArnAllowed,
            "aws:assumeRoleWithWebIdentity.webIdentityTokenFile = 'no-such-token-file': no such file (a relative path is resolved against the directory pulumi runs in); allowed: the path of an existing file holding the OIDC token",
            "aws:assumeRoleWithWebIdentity.duration = '\"2d\"': " + GoDurationAllowed),
        Aws("aws:assumeRoleWithWebIdentity without a token", [("aws:assumeRoleWithWebIdentity", "{\"roleArn\": \"arn:aws:iam::123456789012:role/deployer\"}")],
            "aws:assumeRoleWithWebIdentity.webIdentityTokenFile is not set; set webIdentityTokenFile (the path of a file holding the OIDC token) or webIdentityToken (the token, as a secret: pulumi config set --secret --path 'aws:assumeRoleWithWebIdentity.webIdentityToken' <token>)"),
        new("aws:assumeRoleWithWebIdentity token never shown", Base.Aws, [("aws:assumeRoleWithWebIdentity", "{\"roleArn\": \"arn:aws:iam::123456789012:role/deployer\", \"webIdentityToken\": \"eyJ.web-identity-secret.sig\", \"duration\": \"900\"")],
            ["aws:assumeRoleWithWebIdentity = '[value not shown]': allowed: a JSON object with roleArn and webIdentityToken or webIdentityTokenFile, e.g. {\"roleArn\": \"arn:aws:iam::123456789012:role/deployer\", \"webIdentityTokenFile\": \"/var/run/secrets/token\"} (pulumi config set --path 'aws:assumeRoleWithWebIdentity.roleArn' <role ARN>)"])
        {
            Secret = "web-identity-secret",
        },
        new("aws:assumeRoleWithWebIdentity token not a string, never shown", Base.Aws, [("aws:assumeRoleWithWebIdentity", "{\"roleArn\": \"arn:aws:iam::123456789012:role/deployer\", \"webIdentityToken\": [\"web-identity-secret\"]}")],
            [
                "aws:assumeRoleWithWebIdentity.webIdentityToken = '[value not shown]': allowed: a string",
                "aws:assumeRoleWithWebIdentity.webIdentityTokenFile is not set; set webIdentityTokenFile (the path of a file holding the OIDC token) or webIdentityToken (the token, as a secret: pulumi config set --secret --path 'aws:assumeRoleWithWebIdentity.webIdentityToken' <token>)",
            ])
        {
            Secret = "web-identity-secret",
        },
        Gcp("gcp.region that does not exist", [("psoxy:gcp.region", "mars-central1")],
            "psoxy:gcp.region = 'mars-central1': not a known region; allowed: a Cloud Functions (2nd gen) location such as us-central1 (nearest known: me-central1, us-central1, me-central2)"),
        Gcp("gcp:region that does not exist", [("gcp:region", "mars-central1")],
            "gcp:region = 'mars-central1': not a known region; allowed: a GCP region such as us-central1 (nearest known: me-central1, us-central1, me-central2)"),
        Gcp("gcp:region and gcp.region the same that does not exist", [("gcp:region", "europe-wst1"), ("psoxy:gcp.region", "europe-wst1")],
            "gcp:region = 'europe-wst1': not a known region; allowed: a GCP region such as us-central1 (nearest known: europe-west1, europe-west10, europe-west12)"),
        Gcp("gcp secret replica that does not exist", [("psoxy:gcp.secretReplicaLocations", new[] { "us-west1", "mars-west1" })],
            "psoxy:gcp.secretReplicaLocations = 'mars-west1': not a known region; allowed: a GCP region such as us-central1 (nearest known: me-west1, us-west1, us-west2)"),
        Gcp("gcp secret replica not a region", [("psoxy:gcp.secretReplicaLocations", new[] { "us-west1", "europe" })],
            "psoxy:gcp.secretReplicaLocations = 'europe': not valid in this list; each item must be a GCP region such as us-west1"),
        Aws("aws.ssmParameterPrefix reserved", [("psoxy:aws.ssmParameterPrefix", "/aws/psoxy/")],
            "psoxy:aws.ssmParameterPrefix = '/aws/psoxy/': allowed: an SSM parameter prefix: a path such as /psoxy/dev/ (starting and ending with '/'), a flat prefix such as PSOXY_DEV_ (letters, digits, '_', '.', '-'; not starting with 'aws' or 'ssm'), or '' for none (PSOXY_SALT at the root, as Psoxy's Terraform)"),
        Aws("aws.ssmParameterPrefix path without a trailing slash", [("psoxy:aws.ssmParameterPrefix", "/psoxy/dev")],
            "psoxy:aws.ssmParameterPrefix = '/psoxy/dev': allowed: an SSM parameter prefix: a path such as /psoxy/dev/ (starting and ending with '/'), a flat prefix such as PSOXY_DEV_ (letters, digits, '_', '.', '-'; not starting with 'aws' or 'ssm'), or '' for none (PSOXY_SALT at the root, as Psoxy's Terraform)"),

        // Bundles of the wrong kind.
        Aws("aws bundle an https URL", [("psoxy:aws.deploymentBundle", "https://github.com/Worklytics/psoxy/releases/download/v0.6.9/psoxy-aws-0.6.9.jar")],
            "psoxy:aws.deploymentBundle = 'https://github.com/Worklytics/psoxy/releases/download/v0.6.9/psoxy-aws-0.6.9.jar': " + AwsBundleWrongKind),
        Gcp("gcp bundle an http URL", [("psoxy:gcp.deploymentBundle", "http://example.com/psoxy-gcp-0.6.9.zip")],
            "psoxy:gcp.deploymentBundle = 'http://example.com/psoxy-gcp-0.6.9.zip': " + GcpBundleWrongKind),
        Aws("aws bundle in GCS", [("psoxy:aws.deploymentBundle", "gs://psoxy-public-artifacts/psoxy-aws-0.6.9.jar")],
            "psoxy:aws.deploymentBundle = 'gs://psoxy-public-artifacts/psoxy-aws-0.6.9.jar': " + AwsBundleWrongKind),
        Gcp("gcp bundle in S3", [("psoxy:gcp.deploymentBundle", "s3://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip")],
            "psoxy:gcp.deploymentBundle = 's3://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip': " + GcpBundleWrongKind),
        Aws("aws bundle bucket only", [("psoxy:aws.deploymentBundle", "s3://psoxy-public-artifacts-us-east-1")],
            "psoxy:aws.deploymentBundle = 's3://psoxy-public-artifacts-us-east-1': " + AwsBundleWrongKind),
        Gcp("gcp bundle bucket and slash", [("psoxy:gcp.deploymentBundle", "gs://psoxy-public-artifacts/")],
            "psoxy:gcp.deploymentBundle = 'gs://psoxy-public-artifacts/': " + GcpBundleWrongKind),
        Aws("aws bundle a tar.gz", [("psoxy:aws.deploymentBundle", "s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.tar.gz")],
            "psoxy:aws.deploymentBundle = 's3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.tar.gz': " + AwsBundleWrongKind),
        Gcp("gcp bundle a jar", [("psoxy:gcp.deploymentBundle", "gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.jar")],
            "psoxy:gcp.deploymentBundle = 'gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.jar': " + GcpBundleWrongKind),
        Gcp("gcp bundle a missing local file", [("psoxy:gcp.deploymentBundle", "bundles/psoxy-gcp-0.6.9.zip")],
            "psoxy:gcp.deploymentBundle = 'bundles/psoxy-gcp-0.6.9.zip': " + GcpBundleWrongKind),
        Aws("aws bundle an existing local file of the wrong kind", [("psoxy:aws.deploymentBundle", "Pulumi.yaml")],
            "psoxy:aws.deploymentBundle = 'Pulumi.yaml': " + AwsBundleWrongKind),
        Aws("aws bundle a bucket with upper case", [("psoxy:aws.deploymentBundle", "s3://Psoxy-Artifacts/psoxy-aws-0.6.9.jar")],
            "psoxy:aws.deploymentBundle = 's3://Psoxy-Artifacts/psoxy-aws-0.6.9.jar': " + AwsBundleWrongKind),
        Gcp("gcp bundle not a string", [("psoxy:gcp.deploymentBundle", new Dictionary<string, object> { ["bucket"] = "psoxy-public-artifacts" })],
            "psoxy:gcp.deploymentBundle = '{\"bucket\":\"psoxy-public-artifacts\"}': allowed: " + GcpBundleAllowed),

        // Secrets too short: never echoed.
        new("pseudonymSalt too short", Base.Aws, [("psoxy:pseudonymSalt", "s3cr3t")],
            ["psoxy:pseudonymSalt = '[secret]': allowed: the pseudonym salt of an existing Psoxy deployment, to keep its pseudonyms, at least 8 characters, set with `pulumi config set --secret psoxy:pseudonymSalt` (omit it to generate one)"])
        {
            Secret = "s3cr3t",
        },
        new("encryptionKey too short", Base.Gcp, [("psoxy:encryptionKey", "k3y-1")],
            ["psoxy:encryptionKey = '[secret]': allowed: the encryption key of an existing Psoxy deployment, to keep its reversible pseudonyms, at least 8 characters, set with `pulumi config set --secret psoxy:encryptionKey` (omit it to generate one)"])
        {
            Secret = "k3y-1",
        },

        // Email canonicalization.
        Aws("emailCanonicalization lower case", [("psoxy:emailCanonicalization", "ignore_dots")],
            "psoxy:emailCanonicalization = 'ignore_dots': allowed: STRICT (emails pseudonymized exactly as written) or IGNORE_DOTS (dots in the local part ignored, as Psoxy's examples do; default IGNORE_DOTS)"),
        Gcp("emailCanonicalization unknown", [("psoxy:emailCanonicalization", "LOWERCASE")],
            "psoxy:emailCanonicalization = 'LOWERCASE': allowed: STRICT (emails pseudonymized exactly as written) or IGNORE_DOTS (dots in the local part ignored, as Psoxy's examples do; default IGNORE_DOTS)"),

        // Misspelled keys: reported (a misspelled salt would silently mean new pseudonyms), values never shown.
        Gcp("misspelled pseudonymSalt", [("psoxy:pseudonymSlat", "salt-from-the-old-deployment")],
            "psoxy:pseudonymSlat = '[value not shown]': not a configuration key of Psoxy.Infra (did you mean psoxy:pseudonymSalt?); allowed keys: " + AllKeys) with
        {
            Secret = "salt-from-the-old-deployment",
        },
        Aws("misspelled connectors", [("psoxy:conectors", new[] { "outlook-cal" })],
            "psoxy:conectors = '[value not shown]': not a configuration key of Psoxy.Infra (did you mean psoxy:connectors?); allowed keys: " + AllKeys),
        Gcp("unrelated key", [("psoxy:region", "us-east1")],
            "psoxy:region = '[value not shown]': not a configuration key of Psoxy.Infra; allowed keys: " + AllKeys),

        // Several problems at once, in the order the keys are read.
        new("several problems on aws", Base.Aws,
            [
                ("psoxy:environment", "Prod"),
                ("psoxy:connectors", new[] { "outlook-cal", "teams" }),
                ("psoxy:msftOwners", new[] { "bob" }),
                ("psoxy:grantAdminConsent", "yes"),
                ("psoxy:pseudonymSalt", "salty"),
                ("psoxy:aws.accountId", "1234"),
                ("psoxy:aws.memorySize", 100000),
                ("psoxy:aws.kmsKey", "arn:aws:kms:us-east-1:123456789012:key/abcd"),
            ],
            [
                "psoxy:environment = 'Prod': allowed: " + EnvironmentAllowed,
                "psoxy:connectors = 'teams': " + NotAConnector,
                "psoxy:msftOwners = 'bob': not a user principal name or object id; allowed: " + OwnersAllowed,
                "psoxy:grantAdminConsent = 'yes': allowed: true or false (default false)",
                "psoxy:pseudonymSalt = '[secret]': allowed: the pseudonym salt of an existing Psoxy deployment, to keep its pseudonyms, at least 8 characters, set with `pulumi config set --secret psoxy:pseudonymSalt` (omit it to generate one)",
                "psoxy:aws.kmsKey = 'arn:aws:kms:us-east-1:123456789012:key/abcd': " + AwsFields,
                "psoxy:aws.accountId = '1234': allowed: " + AccountIdAllowed,
                "psoxy:aws.memorySize = '100000': allowed: a whole number from 128 to 10240 MB (default 512)",
            ])
        {
            Secret = "salty",
        },
        // Data-access IP allowlist (Psoxy's allowed_data_access_ip_blocks).
        Aws("allowedDataAccessIpBlocks bad blocks",
            [("psoxy:allowedDataAccessIpBlocks", new[] { "10.0.0.300/8", "10.0.0.0/33", "office", "10.0.0.0/8" })],
            "psoxy:allowedDataAccessIpBlocks = '10.0.0.300/8': " + NotAnIpBlock,
            "psoxy:allowedDataAccessIpBlocks = '10.0.0.0/33': " + NotAnIpBlock,
            "psoxy:allowedDataAccessIpBlocks = 'office': " + NotAnIpBlock),
        Gcp("allowedDataAccessIpBlocks empty list", [("psoxy:allowedDataAccessIpBlocks", Array.Empty<string>())],
            "psoxy:allowedDataAccessIpBlocks = '[]': allowed: " + IpBlocksAllowed),
        Gcp("allowedDataAccessIpBlocks not a list", [("psoxy:allowedDataAccessIpBlocks", "10.0.0.0/8")],
            "psoxy:allowedDataAccessIpBlocks = '10.0.0.0/8': allowed: " + IpBlocksAllowed),

        // GCP sizing (Cloud Run's limits).
        Gcp("gcp sizing out of Cloud Run's range",
            [("psoxy:gcp.instanceConcurrency", 0), ("psoxy:gcp.availableCpu", "3")],
            "psoxy:gcp.instanceConcurrency = '0': allowed: a whole number from 1 to 1000 (default 5)",
            "psoxy:gcp.availableCpu = '3': allowed: a CPU count Cloud Run offers: 1, 2, 4, 6, 8, or a fraction from 0.08 to below 1 such as 0.5 (default 1), as text"),
        Gcp("gcp concurrency without a whole CPU", [("psoxy:gcp.availableCpu", "0.5")],
            "psoxy:gcp.availableCpu = '0.5': Cloud Run serves more than one request at a time (instanceConcurrency = 5) only with at least 1 CPU; allowed: availableCpu 1 or more, or instanceConcurrency 1"),

        // Extra environment variables (Psoxy's general_environment_variables).
        Aws("environmentVariables managed names",
            [("psoxy:environmentVariables", new Dictionary<string, object> { ["SOURCE"] = "x", ["PSOXY_SALT"] = "y" })],
            "psoxy:environmentVariables = 'SOURCE': SOURCE" + ManagedVariable,
            "psoxy:environmentVariables = 'PSOXY_SALT': PSOXY_SALT" + ManagedVariable),
        Gcp("environmentVariables bad names and values",
            [("psoxy:environmentVariables", new Dictionary<string, object> { ["1ST"] = "x", ["AWS_REGION"] = "us-east-1", ["X_GOOGLE_FOO"] = "z", ["LIST"] = new[] { "a" } })],
            "psoxy:environmentVariables = '1ST': not a valid variable name; allowed: letters, digits and underscores, not starting with a digit",
            "psoxy:environmentVariables = 'AWS_REGION': reserved by AWS Lambda or Cloud Run; allowed: a name not starting with AWS_, LAMBDA_, X_GOOGLE_ or _, and not PORT or K_SERVICE/K_REVISION/K_CONFIGURATION",
            "psoxy:environmentVariables = 'X_GOOGLE_FOO': reserved by AWS Lambda or Cloud Run; allowed: a name not starting with AWS_, LAMBDA_, X_GOOGLE_ or _, and not PORT or K_SERVICE/K_REVISION/K_CONFIGURATION",
            "psoxy:environmentVariables = 'LIST: [\"a\"]': allowed: a text, number or true/false value"),
        Gcp("environmentVariables not a map", [("psoxy:environmentVariables", "LOG_LEVEL=DEBUG")],
            "psoxy:environmentVariables = 'LOG_LEVEL=DEBUG': allowed: a map of environment variable names to values set on every proxy instance, e.g. { LOG_LEVEL: DEBUG }"),

        Aws("customRules unknown connector", [("psoxy:customRules", new Dictionary<string, object> { ["outlok-cal"] = RulesDir + "outlook-mail.yaml" })],
            "psoxy:customRules = 'outlok-cal': not a connector id (did you mean outlook-cal?); allowed keys: the enabled connectors (outlook-cal)"),
        Gcp("customRules connector not enabled", [("psoxy:customRules", new Dictionary<string, object> { ["msft-teams"] = RulesDir + "outlook-mail.yaml" })],
            "psoxy:customRules = 'msft-teams': this connector is not in psoxy:connectors; allowed keys: the enabled connectors (outlook-cal)"),
        Aws("customRules missing file", [("psoxy:customRules", new Dictionary<string, object> { ["outlook-cal"] = "custom-rules/outlook-cal.yaml" })],
            "psoxy:customRules = 'outlook-cal: custom-rules/outlook-cal.yaml': " + RulesMissing),
        Gcp("customRules not YAML", [("psoxy:customRules", new Dictionary<string, object> { ["outlook-cal"] = RulesDir + "not-yaml.yaml" })],
            $"psoxy:customRules = 'outlook-cal: {RulesDir}not-yaml.yaml': not valid YAML at line 6, column 7: While parsing a flow sequence, did not find expected ',' or ']'.; " + RulesFileAllowed),
        Aws("customRules not a mapping", [("psoxy:customRules", new Dictionary<string, object> { ["outlook-cal"] = RulesDir + "top-level-list.yaml" })],
            $"psoxy:customRules = 'outlook-cal: {RulesDir}top-level-list.yaml': not Psoxy rules: its top level (line 1) is not a mapping; " + RulesFileAllowed),
        Aws("customRules too large for SSM", [("psoxy:customRules", new Dictionary<string, object> { ["outlook-cal"] = RulesDir + "large.yaml" })],
            $"psoxy:customRules = 'outlook-cal: {RulesDir}large.yaml': 24081 bytes, still 12412 gzipped and base64-encoded: too large for the SSM parameter RULES, which holds less than 8192 bytes as Psoxy stores it (advanced tier, https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html); allowed: rules that fit, plain or compressed"),
        Gcp("customRules too large for the environment",
            [("psoxy:customRules", new Dictionary<string, object> { ["outlook-cal"] = RulesDir + "large.yaml" }), ("psoxy:environmentVariables", new Dictionary<string, object> { ["BANNER"] = new string('x', 20000) })],
            $"psoxy:customRules = 'outlook-cal: {RulesDir}large.yaml': 24081 bytes, 12412 gzipped and base64-encoded as the RULES variable: too large for the function's environment, which holds 32768 bytes of variables in all (https://cloud.google.com/run/docs/configuring/services/overview-environment-variables), 10653 of them left for the rules beside the program's and psoxy:environmentVariables; allowed: rules that fit"),
        Gcp("customRules not a map", [("psoxy:customRules", RulesDir + "outlook-mail.yaml")],
            $"psoxy:customRules = '{RulesDir}outlook-mail.yaml': allowed: " + RulesAllowed),
        new("customRules every problem at once", Base.Aws,
            [
                ("psoxy:connectors", new[] { "outlook-cal", "outlook-mail" }),
                ("psoxy:customRules", new Dictionary<string, object>
                {
                    ["outlook-mail"] = RulesDir + "not-yaml.yaml",
                    ["outlook-cal"] = "custom-rules/outlook-cal.yaml",
                    ["msft-copilot"] = RulesDir + "outlook-mail.yaml",
                    ["teams"] = RulesDir + "outlook-mail.yaml",
                }),
            ],
            [
                $"psoxy:customRules = 'outlook-mail: {RulesDir}not-yaml.yaml': not valid YAML at line 6, column 7: While parsing a flow sequence, did not find expected ',' or ']'.; " + RulesFileAllowed,
                "psoxy:customRules = 'outlook-cal: custom-rules/outlook-cal.yaml': " + RulesMissing,
                "psoxy:customRules = 'msft-copilot': this connector is not in psoxy:connectors; allowed keys: the enabled connectors (outlook-cal, outlook-mail)",
                "psoxy:customRules = 'teams': not a connector id; allowed keys: the enabled connectors (outlook-cal, outlook-mail)",
            ]),

        new("several problems on gcp", Base.Gcp,
            [
                ("psoxy:msftTenantId", "contoso"),
                ("psoxy:aws", new Dictionary<string, object> { ["accountId"] = StackRun.AwsAccountId }),
                ("psoxy:certificateValidityDays", "12x"),
                ("psoxy:emailCanonicalization", "strict"),
                ("psoxy:gcp.projectId", "P"),
                ("psoxy:gcp.deploymentBundle", "s3://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip"),
                ("psoxy:gcp.testPrincipals", new[] { "allUsers" }),
                ("psoxy:gcp.maxInstances", -1),
            ],
            [
                "psoxy:msftTenantId = 'contoso': allowed: " + TenantAllowed,
                "psoxy:certificateValidityDays = '12x': allowed: a whole number from 30 to 730 (default 180)",
                "psoxy:emailCanonicalization = 'strict': allowed: STRICT (emails pseudonymized exactly as written) or IGNORE_DOTS (dots in the local part ignored, as Psoxy's examples do; default IGNORE_DOTS)",
                "psoxy:aws = '{\"accountId\":\"123456789012\"}': only the object of the chosen host is allowed: psoxy:host is 'gcp', so remove psoxy:aws (or change psoxy:host)",
                "psoxy:gcp.projectId = 'P': allowed: " + ProjectIdAllowed,
                "psoxy:gcp.deploymentBundle = 's3://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip': " + GcpBundleWrongKind,
                "psoxy:gcp.testPrincipals = 'allUsers': " + TestPrincipalItem,
                "psoxy:gcp.maxInstances = '-1': allowed: a whole number from 1 to 1000 (default 20)",
            ]),
    ];

    public static TheoryData<string> Cases() => new(Corpus.Select(c => c.Name));

    [Fact]
    public void Corpus_HasAtLeast45NamedCases()
    {
        Assert.True(Corpus.Length >= 45, $"only {Corpus.Length} cases");
        Assert.Equal(Corpus.Length, Corpus.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(Corpus, c => Assert.NotEmpty(c.Problems));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task InvalidConfiguration_StopsWithTheExactProblems_BeforeAnyResource(string name)
    {
        var bad = Corpus.Single(c => c.Name == name);
        var config = Apply(bad);

        // The reader alone: exactly these problems, in this order (a readable diff when a case fails).
        var read = Assert.Throws<InvalidConfigurationException>(() => StackSettingsReader.Read(new DictionaryConfigSource(PsoxyValues(config)), ProviderConfig.From(ProviderValues(config))));
        Assert.Equal(bad.Problems, read.Problems.Select(p => p.ToString()));

        // The real program under mocks: one error with the header and every problem, and nothing declared.
        var cloud = new FakeCloud();
        var e = await Assert.ThrowsAsync<RunException>(() => StackRun.RunAsync(config, cloud: cloud));
        var header = bad.Problems.Length == 1
            ? "Invalid stack configuration (1 problem); nothing was created:"
            : $"Invalid stack configuration ({bad.Problems.Length} problems); nothing was created:";
        Assert.Equal(header + string.Concat(bad.Problems.Select(p => Environment.NewLine + "  - " + p)), e.Message);
        Assert.Empty(cloud.Resources);
        if (bad.Secret is not null)
        {
            Assert.DoesNotContain(bad.Secret, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BaseConfigurations_AreValid()
    {
        // Every case differs from one of these by its changes only, so its problems are exactly the expected ones.
        Assert.NotEmpty((await StackRun.RunAsync(StackRun.AwsConfig(), preview: true)).Cloud.Resources);
        Assert.NotEmpty((await StackRun.RunAsync(StackRun.GcpConfig(), preview: true)).Cloud.Resources);
    }

    [Fact]
    public async Task NoAwsRegion_StopsBeforeAnyResource()
    {
        // Not a psoxy:* problem (the region may come from aws:region or the environment), but just as fatal.
        var saved = (Environment.GetEnvironmentVariable("AWS_REGION"), Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"));
        Environment.SetEnvironmentVariable("AWS_REGION", null);
        Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", null);
        try
        {
            var config = StackRun.AwsConfig();
            config.Remove("aws:region");
            var cloud = new FakeCloud();
            var e = await Assert.ThrowsAsync<RunException>(() => StackRun.RunAsync(config, cloud: cloud));
            Assert.Equal("No AWS region: set psoxy:aws.region or aws:region in the stack configuration (pulumi config set aws:region us-east-1).", e.Message);
            Assert.Empty(cloud.Resources);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_REGION", saved.Item1);
            Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", saved.Item2);
        }
    }

    private static Dictionary<string, object> Apply(BadInput bad)
    {
        var config = bad.On == Base.Aws ? StackRun.AwsConfig() : StackRun.GcpConfig();
        foreach (var (key, value) in bad.Changes)
        {
            var dot = key.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0)
            {
                var hostObject = (Dictionary<string, object>)config[key[..dot]];
                var field = key[(dot + 1)..];
                if (value is null)
                {
                    Assert.True(hostObject.Remove(field), $"{bad.Name}: {key} is not in the base configuration");
                }
                else
                {
                    hostObject[field] = value;
                }
            }
            else if (value is null)
            {
                Assert.True(config.Remove(key), $"{bad.Name}: {key} is not in the base configuration");
            }
            else
            {
                config[key] = value;
            }
        }

        return config;
    }

    /// <summary>The values of other namespaces (the providers' keys), as Pulumi hands them over.</summary>
    private static Dictionary<string, string> ProviderValues(Dictionary<string, object> config) =>
        config.Where(kv => !kv.Key.StartsWith("psoxy:", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key, kv => kv.Value as string ?? JsonSerializer.Serialize(kv.Value));

    /// <summary>The <c>psoxy:*</c> values as Pulumi hands them over: strings as is, anything else as JSON text.</summary>
    private static Dictionary<string, string> PsoxyValues(Dictionary<string, object> config) =>
        config.Where(kv => kv.Key.StartsWith("psoxy:", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key["psoxy:".Length..], kv => kv.Value as string ?? JsonSerializer.Serialize(kv.Value));
}
