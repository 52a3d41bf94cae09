using Pulumi;

namespace Psoxy.Infra.Tests.Safety;

/// <summary>Deliberate breakages of the security invariants, applied as resource transformations.</summary>
internal static class Breakers
{
    private const string Graph = SecurityInvariants.GraphAppId;

    // Facts: Microsoft Graph's User.ReadWrite.All application permission, and Exchange Online's app id.
    private const string UserReadWriteAll = "741f803b-c850-494e-b5df-cde7c675a1ca";
    private const string ExchangeOnline = "00000002-0000-0ff1-ce00-000000000000";

    public static string Invariant(string breakage) => breakage switch
    {
        "write-permission" or "second-api" or "delegated-permission" => "read-only Graph application permissions, exactly the connectors'",
        "wildcard-subject" => "federated credentials exact",
        "other-connectors-pool" or "any-identity-pool" => "each function can obtain only its own identity",
        "unprotected-application" => "Entra applications protected",
        "public-invoker" => "no public GCP bindings",
        "plain-secret" or "plain-parameter" => "secrets stay secret",
        "public-function-url" => "invocation requires IAM",
        "wildcard-action" or "wildcard-resource" or "open-trust" => "IAM statements name exact actions and resources",
        "other-connectors-rules" or "rules-on-another-function" or "rules-dropped" => "each connector's rules are its own, readable by its identity only",
        "act-as-for-another-member" or "act-as-on-a-foreign-account" or "act-as-project-wide" => SecurityInvariants.ActAsInvariant,
        _ => throw new ArgumentOutOfRangeException(nameof(breakage), breakage, null),
    };

    public static ResourceTransformation For(string breakage) => args =>
    {
        switch (breakage, args.Args)
        {
            case ("write-permission", Pulumi.AzureAD.ApplicationArgs app):
                app.RequiredResourceAccesses = new[] { GraphAccess(UserReadWriteAll, "Role") };
                break;
            case ("second-api", Pulumi.AzureAD.ApplicationArgs app):
                app.RequiredResourceAccesses.Add(new Pulumi.AzureAD.Inputs.ApplicationRequiredResourceAccessArgs
                {
                    ResourceAppId = ExchangeOnline,
                    ResourceAccesses = { new Pulumi.AzureAD.Inputs.ApplicationRequiredResourceAccessResourceAccessArgs { Id = "dc890d15-9560-4a4c-9b7f-a736ec74ec40", Type = "Role" } },
                });
                break;
            case ("delegated-permission", Pulumi.AzureAD.ApplicationArgs app):
                app.RequiredResourceAccesses = new[] { GraphAccess("df021288-bdef-4463-88db-98f22de89214", "Scope") };
                break;
            case ("wildcard-subject", Pulumi.AzureAD.ApplicationFederatedIdentityCredentialArgs credential):
                credential.Subject = "*";
                break;
            case ("unprotected-application", Pulumi.AzureAD.ApplicationArgs):
                args.Options.Protect = false;
                break;
            case ("public-invoker", Pulumi.Gcp.CloudRunV2.ServiceIamBindingArgs binding):
                binding.Members.Add("allUsers");
                break;
            case ("plain-secret", Pulumi.Gcp.CloudFunctionsV2.FunctionArgs function):
                function.ServiceConfig = function.ServiceConfig.Apply(config =>
                {
                    config!.EnvironmentVariables.Add("LEAKED_SALT", Testing.FakeCloud.PasswordOf("shared-secrets-pseudonym-salt"));
                    return config;
                });
                break;
            case ("plain-parameter", Pulumi.Aws.Lambda.FunctionArgs function):
                function.Environment = function.Environment.Apply(environment =>
                {
                    environment!.Variables.Add("LEAKED_SALT", Testing.FakeCloud.PasswordOf("shared-secrets-pseudonym-salt"));
                    return environment;
                });
                break;
            case ("public-function-url", Pulumi.Aws.Lambda.FunctionUrlArgs url):
                url.AuthorizationType = "NONE";
                break;
            // One function's policy widened to another connector's pool, or to every pool.
            case ("other-connectors-pool", Pulumi.Aws.Iam.RolePolicyArgs policy) when args.Resource.GetResourceName() == "outlook-cal-resource-access":
                policy.Policy = MintIn(Testing.FakeCloud.PoolArnOfConnector("outlook-cal"), Testing.FakeCloud.PoolArnOfConnector("msft-teams"));
                break;
            case ("any-identity-pool", Pulumi.Aws.Iam.RolePolicyArgs policy) when args.Resource.GetResourceName() == "outlook-cal-resource-access":
                policy.Policy = MintIn("*");
                break;
            // One function's role may also read another connector's rules parameter.
            case ("other-connectors-rules", Pulumi.Aws.Iam.RolePolicyArgs policy) when args.Resource.GetResourceName() == "outlook-cal-resource-access":
                policy.Policy = System.Text.Json.JsonSerializer.Serialize(new
                {
                    Version = "2012-10-17",
                    Statement = new[]
                    {
                        new { Sid = "ReadInstanceSSMParameters", Effect = "Allow", Action = new[] { "ssm:GetParameter" }, Resource = new[] { "arn:aws:ssm:us-east-1:123456789012:parameter/psoxy/test/OUTLOOK_CAL_*", "arn:aws:ssm:us-east-1:123456789012:parameter/psoxy/test/MSFT_TEAMS_RULES" } },
                    },
                });
                break;
            // Another connector's rules on a function whose connector has none.
            case ("rules-on-another-function", Pulumi.Gcp.CloudFunctionsV2.FunctionArgs function) when args.Resource.GetResourceName() == "outlook-cal-function":
                function.ServiceConfig = function.ServiceConfig.Apply(config =>
                {
                    config!.EnvironmentVariables.Add("RULES", Psoxy.Infra.Configuration.CustomRules.Base64Gzip(File.ReadAllText(Path.Combine(Testing.Repository.Root, SecurityInvariantTests.TeamsRules))));
                    return config;
                });
                break;
            // A function deployed without its connector's rules would serve Psoxy's defaults.
            case ("rules-dropped", Pulumi.Gcp.CloudFunctionsV2.FunctionArgs function) when args.Resource.GetResourceName() == "msft-teams-function":
                function.ServiceConfig = function.ServiceConfig.Apply(config =>
                {
                    config!.EnvironmentVariables = config.EnvironmentVariables.Apply(variables => variables.Remove("RULES"));
                    return config;
                });
                break;
            case ("act-as-for-another-member", Pulumi.Gcp.ServiceAccount.IAMMemberArgs grant) when args.Resource.GetResourceName() == "outlook-cal-deployer-act-as":
                grant.Member = "user:someone-else@contoso.example";
                break;
            case ("act-as-on-a-foreign-account", Pulumi.Gcp.ServiceAccount.IAMMemberArgs grant) when args.Resource.GetResourceName() == "gcp-build-deployer-act-as":
                grant.ServiceAccountId = "projects/psoxy-test/serviceAccounts/payroll@psoxy-test.iam.gserviceaccount.com";
                break;
            case ("act-as-project-wide", Pulumi.Gcp.Projects.IAMMemberArgs grant) when args.Resource.GetResourceName() == "gcp-build-log-writer":
                grant.Role = "roles/iam.serviceAccountUser";
                break;
            case ("wildcard-action", Pulumi.Aws.Iam.RolePolicyArgs policy):
                policy.Policy = """{"Version":"2012-10-17","Statement":[{"Sid":"Broken","Effect":"Allow","Action":"ssm:*","Resource":"arn:aws:ssm:us-east-1:123456789012:parameter/x"}]}""";
                break;
            case ("wildcard-resource", Pulumi.Aws.Iam.RolePolicyArgs policy):
                policy.Policy = """{"Version":"2012-10-17","Statement":[{"Sid":"Broken","Effect":"Allow","Action":"ssm:GetParameter","Resource":"*"}]}""";
                break;
            case ("open-trust", Pulumi.Aws.Iam.RoleArgs role):
                role.AssumeRolePolicy = """{"Version":"2012-10-17","Statement":[{"Sid":"Broken","Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"*"}}]}""";
                break;
        }

        return null;
    };

    private static string MintIn(params string[] pools) => System.Text.Json.JsonSerializer.Serialize(new
    {
        Version = "2012-10-17",
        Statement = new[]
        {
            new { Sid = "CognitoDeveloperIdentity", Effect = "Allow", Action = new[] { "cognito-identity:GetOpenIdTokenForDeveloperIdentity" }, Resource = pools },
        },
    });

    private static Pulumi.AzureAD.Inputs.ApplicationRequiredResourceAccessArgs GraphAccess(string id, string type) => new()
    {
        ResourceAppId = Graph,
        ResourceAccesses = { new Pulumi.AzureAD.Inputs.ApplicationRequiredResourceAccessResourceAccessArgs { Id = id, Type = type } },
    };
}
