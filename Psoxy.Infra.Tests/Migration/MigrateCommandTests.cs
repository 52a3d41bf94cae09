using System.Text.Json;
using System.Text.Json.Nodes;
using Psoxy.Infra.Cli;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Migration;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Tests.Testing;
using static Psoxy.Infra.Tests.Migration.PsoxyTerraformStates;

namespace Psoxy.Infra.Tests.Migration;

/// <summary><c>migrate</c> on Psoxy 0.6.9 Terraform states (AWS and GCP, several Microsoft 365 connectors), in both modes.</summary>
public sealed class MigrateCommandTests : IDisposable
{
    private readonly List<string> _roots = [];

    public void Dispose()
    {
        foreach (var root in _roots.Where(Directory.Exists))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static readonly string[] Connectors = ["msft-entra-id", "outlook-cal", "outlook-mail", "msft-teams"];

    private sealed record Run(int Exit, string Out, string Err, string Directory, string StackName)
    {
        public string StackFile => Path.Combine(Directory, $"Pulumi.{StackName}.yaml");
        public string Handoff => File.ReadAllText(Path.Combine(Directory, "MIGRATION.md"));
        public string ImportFile => Path.Combine(Directory, "import.json");
    }

    private async Task<Run> MigrateAsync(JsonObject state, string environment, bool inPlace, string? stdin = null)
    {
        var root = Directory.CreateTempSubdirectory("psoxy-migrate-").FullName;
        _roots.Add(root);
        var statePath = Path.Combine(root, "state.json");
        await File.WriteAllTextAsync(statePath, Text(state));
        var outDir = Path.Combine(root, "out");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] args = ["migrate", "--terraform-state", stdin is null ? statePath : "-", "--environment", environment, "--out", outDir, .. inPlace ? new[] { "--in-place" } : []];
        var previousIn = Console.In;
        if (stdin is not null)
        {
            Console.SetIn(new StringReader(stdin));
        }

        try
        {
            var exit = await PsoxyCommandLine.RunAsync(args, new CommandOutput(stdout, stderr, Color: false));
            return new Run(exit, stdout.ToString(), stderr.ToString(), outDir, environment);
        }
        finally
        {
            Console.SetIn(previousIn);
        }
    }

    private static async Task<Plan> PlanAsync(Run run)
    {
        var config = StackFile.Load(run.StackFile, ConfigKeys.Namespace);
        var settings = config.ReadSettings();
        return await OfflinePlan.PlanAsync(run.StackName, Path.GetFileName(run.StackFile), config, settings.Warnings);
    }

    [Fact]
    public void WhatMigrateReadsFromTheState_NeverShowsASecretInItsToString()
    {
        var state = TerraformState.Parse(PsoxyTerraformStates.Text(PsoxyTerraformStates.Aws(["outlook-cal"])));
        var deployment = PsoxyDeploymentReader.Read(state);

        var texts = new[] { deployment.Salt.ToString(), deployment.EncryptionKey?.ToString() ?? string.Empty }
            .Concat(state.Resources.Select(r => r.ToString()));
        Assert.All(texts, text => Assert.All(Secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal)));
        Assert.Contains("Address = ", deployment.Salt.ToString(), StringComparison.Ordinal);
    }

    private static void AssertNoSecretAnywhere(Run run)
    {
        var files = Directory.Exists(run.Directory) ? Directory.GetFiles(run.Directory, "*", SearchOption.AllDirectories) : [];
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, run.Out, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, run.Err, StringComparison.Ordinal);
            foreach (var file in files)
            {
                Assert.False(File.ReadAllText(file).Contains(secret, StringComparison.Ordinal), $"{Path.GetFileName(file)} holds a secret");
            }
        }
    }

    private static async Task AssertStackFilePlans(Run run)
    {
        var (exit, _, stderr) = await CommandRun.RunAsync("plan", "--config-file", run.StackFile);
        Assert.True(exit == ExitCodes.Success, stderr);
    }

    private sealed record Entry(string Type, string Name, string LogicalName, string? Id, string? Parent, bool Component);

    private static List<Entry> ImportEntries(Run run)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(run.ImportFile));
        Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("nameTable").ValueKind);
        return document.RootElement.GetProperty("resources").EnumerateArray().Select(e => new Entry(
            e.GetProperty("type").GetString()!,
            e.GetProperty("name").GetString()!,
            e.TryGetProperty("logicalName", out var l) ? l.GetString()! : e.GetProperty("name").GetString()!,
            e.TryGetProperty("id", out var id) ? id.GetString() : null,
            e.TryGetProperty("parent", out var p) ? p.GetString() : null,
            e.TryGetProperty("component", out var c) && c.GetBoolean())).ToList();
    }

    /// <summary>The URN `pulumi import` gives an entry: its parents' types, its type and its logical name.</summary>
    private static string UrnOf(Entry entry, IReadOnlyList<Entry> all, string stack)
    {
        string QualifiedType(Entry e) => e.Parent is null ? e.Type : QualifiedType(all.Single(p => p.Name == e.Parent)) + "$" + e.Type;
        return $"urn:pulumi:{stack}::psoxy::{QualifiedType(entry)}::{entry.LogicalName}";
    }

    private static async Task AssertImportMatchesThePlan(Run run, IReadOnlyList<Entry> entries)
    {
        var plan = await PlanAsync(run);
        Assert.Equal(entries.Count, entries.Select(e => e.Name).Distinct().Count());
        foreach (var entry in entries)
        {
            var urn = UrnOf(entry, entries, run.StackName);
            var declared = plan.Resources.SingleOrDefault(r => r.Urn == urn);
            Assert.True(declared is not null, $"{urn} is not declared by the program");
            Assert.Equal(entry.Type, declared!.Type);
            Assert.Equal(entry.Component, !declared.Custom);
            Assert.Equal(entry.Component, entry.Id is null);
        }
    }

    [Fact]
    public async Task Aws_SideBySide_WritesAStackFileThatPlans_AdoptsOnlyTheApplications_AndNoSecret()
    {
        var run = await MigrateAsync(Aws(Connectors), "prod", inPlace: false);

        Assert.True(run.Exit == ExitCodes.Success, run.Err);
        Assert.False(File.Exists(run.ImportFile));
        await AssertStackFilePlans(run);
        AssertNoSecretAnywhere(run);

        var yaml = File.ReadAllText(run.StackFile);
        Assert.Contains("psoxy:msftTenantId: " + TenantId, yaml, StringComparison.Ordinal);
        Assert.Contains("deploymentBundle: s3://psoxy-public-artifacts-eu-west-1/psoxy-aws-0.6.9.jar", yaml, StringComparison.Ordinal);
        var config = StackFile.Load(run.StackFile, ConfigKeys.Namespace);
        var settings = config.ReadSettings();
        Assert.Equal(Connectors, settings.Connectors.Select(c => c.Id));
        Assert.Equal(Connectors.ToDictionary(c => c, ObjectIdOf), settings.ExistingApplications);
        Assert.Equal(Account, settings.Aws!.AccountId);
        Assert.Equal(Region, settings.Aws.Region);
        Assert.Equal([WorklyticsSaId], settings.Aws.CallerGcpServiceAccountIds);
        Assert.Equal([Tester], settings.Aws.CallerAwsArns);
        Assert.Equal(30, settings.Aws.LogRetentionDays);
        // Side by side: its own parameters, apart from Terraform's PSOXY_SALT at the root.
        Assert.Equal("/psoxy/prod/", settings.Aws.SsmParameterPrefix);
        Assert.Equal("IGNORE_DOTS", settings.Proxy.EmailCanonicalization);
        Assert.True(settings.Proxy.PseudonymizeAppIds);
        Assert.Equal(["outlook-mail"], settings.Proxy.NonProductionConnectors);
        Assert.Null(settings.PseudonymSalt);

        var handoff = run.Handoff;
        Assert.True(handoff.IndexOf("pulumi config set --secret psoxy:pseudonymSalt", StringComparison.Ordinal) < handoff.IndexOf("terraform state rm", StringComparison.Ordinal));
        Assert.Contains("module.psoxy.module.global_secrets_ssm[0].aws_ssm_parameter.secret[\"PSOXY_SALT\"]", handoff, StringComparison.Ordinal);
        foreach (var id in Connectors)
        {
            Assert.Contains($"terraform state rm 'module.worklytics_connectors_msft_365.module.msft_connection[\"{id}\"].azuread_application.connector'", handoff, StringComparison.Ordinal);
        }

        Assert.Contains("AWS Psoxy Role ARN", handoff, StringComparison.Ordinal);
        Assert.Contains("`aws_lambda_function` (4)", handoff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aws_InPlace_ImportsFunctionsUrlsRolesLogGroupsAndParameters_UnderTheNamesAndParentsThePlanDeclares()
    {
        var run = await MigrateAsync(Aws(Connectors), "psoxy", inPlace: true);

        Assert.True(run.Exit == ExitCodes.Success, run.Err);
        await AssertStackFilePlans(run);
        AssertNoSecretAnywhere(run);
        var settings = StackFile.Load(run.StackFile, ConfigKeys.Namespace).ReadSettings();
        Assert.Equal(string.Empty, settings.Aws!.SsmParameterPrefix);

        var entries = ImportEntries(run);
        await AssertImportMatchesThePlan(run, entries);
        var imported = entries.Where(e => !e.Component).ToList();
        Assert.Equal(Connectors.Select(c => $"psoxy-{c}").Order(), imported.Where(e => e.Type == "aws:lambda/function:Function").Select(e => e.Id!).Order());
        Assert.Equal(Connectors.Select(c => $"psoxy-{c}").Order(), imported.Where(e => e.Type == "aws:lambda/functionUrl:FunctionUrl").Select(e => e.Id!).Order());
        Assert.Equal(Connectors.Select(c => $"/aws/lambda/psoxy-{c}").Order(), imported.Where(e => e.Type == "aws:cloudwatch/logGroup:LogGroup").Select(e => e.Id!).Order());
        Assert.Equal(Connectors.Select(c => $"psoxy-{c}_Exec").Append("psoxyCaller").Order(StringComparer.Ordinal),
            imported.Where(e => e.Type == "aws:iam/role:Role").Select(e => e.Id!).Order(StringComparer.Ordinal));
        // Terraform's one shared pool is not adopted: each connector gets an identity pool of its own.
        Assert.DoesNotContain(imported, e => e.Type == "aws:cognito/identityPool:IdentityPool");
        Assert.Equal(["PSOXY_ENCRYPTION_KEY", "PSOXY_SALT"], imported.Where(e => e.Type == "aws:ssm/parameter:Parameter").Select(e => e.Id!).Order(StringComparer.Ordinal));
        Assert.Equal(Connectors.Select(c => $"psoxy-{c}_Exec/arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole").Order(StringComparer.Ordinal),
            imported.Where(e => e.Type == "aws:iam/rolePolicyAttachment:RolePolicyAttachment").Select(e => e.Id!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(imported, e => e.Type.StartsWith("azuread:", StringComparison.Ordinal));

        var handoff = run.Handoff;
        Assert.Contains("pulumi import --stack psoxy --file import.json", handoff, StringComparison.Ordinal);
        Assert.Contains("terraform state rm 'module.psoxy.module.api_connector[\"outlook-cal\"].module.psoxy_lambda.aws_lambda_function.instance'", handoff, StringComparison.Ordinal);
        Assert.Contains("terraform state rm 'module.psoxy.module.psoxy.aws_iam_role.api-caller'", handoff, StringComparison.Ordinal);
        Assert.DoesNotContain("terraform state rm 'module.cognito_identity_pool[0].aws_cognito_identity_pool.main'", handoff, StringComparison.Ordinal);
        Assert.Contains("an identity pool of its own", handoff, StringComparison.Ordinal);
        Assert.Contains("federated credentials", handoff, StringComparison.Ordinal);
        Assert.DoesNotContain("`aws_lambda_function` (", handoff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdoptedApplications_AreDeclaredExactlyAsTheStateHasThem_SoTheirImportMatches()
    {
        var state = Aws(Connectors);
        var run = await MigrateAsync(state, "psoxy", inPlace: true);
        Assert.True(run.Exit == ExitCodes.Success, run.Err);

        var plan = await PlanAsync(run);
        var applications = Terraform(state).Where(r => r.Type == "azuread_application").ToList();
        Assert.Equal(Connectors.Length, applications.Count);
        foreach (var id in Connectors)
        {
            var tf = applications.Single(a => a.Address.Contains($"[\"{id}\"]", StringComparison.Ordinal)).Values;
            var declared = plan.Resources.Single(r => r.Type == "azuread:index/application:Application" && r.Name == id).Inputs;

            Assert.Equal((string)tf["display_name"]!, (string)declared["displayName"]!);
            Assert.EndsWith(" ", (string)declared["displayName"]!, StringComparison.Ordinal);
            Assert.False(declared.ContainsKey("description") && declared["description"] is not null, $"{id}: a description the state lacks");
            Assert.Equal(tf["owners"]!.AsArray().Select(o => (string)o!).Order(), declared["owners"]!.AsArray().Select(o => (string)o!).Order());
            var tags = tf["feature_tags"]![0]!;
            var declaredTags = declared["featureTags"]![0]!;
            foreach (var (tfName, name) in new[] { ("hide", "hide"), ("enterprise", "enterprise"), ("gallery", "gallery") })
            {
                Assert.Equal((bool)tags[tfName]!, (bool)declaredTags[name]!);
            }

            var access = tf["required_resource_access"]![0]!;
            var declaredAccess = declared["requiredResourceAccesses"]![0]!;
            Assert.Equal((string)access["resource_app_id"]!, (string)declaredAccess["resourceAppId"]!);
            Assert.Equal(
                access["resource_access"]!.AsArray().Select(a => ((string)a!["id"]!, (string)a["type"]!)).Order(),
                declaredAccess["resourceAccesses"]!.AsArray().Select(a => ((string)a!["id"]!, (string)a["type"]!)).Order());
        }
    }

    [Fact]
    public async Task Gcp_SideBySide_CarriesTheInvokers_AndReadsTheSaltVersionPsoxyReads_NotThePinnedOne()
    {
        var run = await MigrateAsync(Gcp(Connectors), "prod", inPlace: false);

        Assert.True(run.Exit == ExitCodes.Success, run.Err);
        Assert.False(File.Exists(run.ImportFile));
        await AssertStackFilePlans(run);
        AssertNoSecretAnywhere(run);
        var settings = StackFile.Load(run.StackFile, ConfigKeys.Namespace).ReadSettings();
        Assert.Equal(Project, settings.Gcp!.ProjectId);
        Assert.Equal(GcpRegion, settings.Gcp.Region);
        Assert.Equal([WorklyticsSaEmail], settings.Gcp.WorklyticsServiceAccountEmails);
        Assert.Equal(["user:it-admin@acme.example"], settings.Gcp.TestPrincipals);
        Assert.Equal(("java25", "1024M", 180, 20), (settings.Gcp.Runtime, settings.Gcp.Memory, settings.Gcp.TimeoutSeconds, settings.Gcp.MaxInstances));
        Assert.Contains("deploymentBundle: gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip", File.ReadAllText(run.StackFile), StringComparison.Ordinal);

        // Psoxy's SecretManagerConfigService reads the version the secret's latest-version label names, else 'latest';
        // the functions' binding (version 2) and the state's versions are not what the proxies read.
        var handoff = run.Handoff;
        Assert.Contains("gcloud secrets describe 'psoxy_PSOXY_SALT' --project 'acme-psoxy-prod' --format=json | jq -r '.labels[\"latest-version\"] // \"latest\"'", handoff, StringComparison.Ordinal);
        Assert.Contains("gcloud secrets versions access \"$v\" --secret 'psoxy_PSOXY_SALT' --project 'acme-psoxy-prod' | pulumi config set --secret psoxy:pseudonymSalt --stack prod", handoff, StringComparison.Ordinal);
        Assert.Contains("--secret 'psoxy_PSOXY_ENCRYPTION_KEY'", handoff, StringComparison.Ordinal);
        Assert.DoesNotContain("secret_data", handoff, StringComparison.Ordinal);
        Assert.DoesNotContain("initial_version'", handoff, StringComparison.Ordinal);
        Assert.Contains("Psoxy Base URL", handoff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gcp_InPlace_ImportsFunctionsInvokerBindingsAndApis_ButNotTheServiceAccounts()
    {
        var run = await MigrateAsync(Gcp(Connectors), "psoxy", inPlace: true);

        Assert.True(run.Exit == ExitCodes.Success, run.Err);
        await AssertStackFilePlans(run);
        AssertNoSecretAnywhere(run);
        var entries = ImportEntries(run);
        await AssertImportMatchesThePlan(run, entries);
        var imported = entries.Where(e => !e.Component).ToList();
        Assert.Equal(Connectors.Select(c => $"projects/{Project}/locations/{GcpRegion}/functions/psoxy-{c}").Order(),
            imported.Where(e => e.Type == "gcp:cloudfunctionsv2/function:Function").Select(e => e.Id!).Order());
        Assert.Equal(Connectors.Select(c => $"projects/{Project}/locations/{GcpRegion}/services/psoxy-{c} roles/run.invoker").Order(),
            imported.Where(e => e.Type == "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding").Select(e => e.Id!).Order());
        Assert.Contains($"{Project}/cloudfunctions.googleapis.com", imported.Where(e => e.Type == "gcp:projects/service:Service").Select(e => e.Id));
        Assert.DoesNotContain(imported, e => e.Type == "gcp:serviceaccount/account:Account");

        var handoff = run.Handoff;
        Assert.Contains("terraform state rm 'module.psoxy.module.api_connector[\"msft-teams\"].google_cloudfunctions2_function.function'", handoff, StringComparison.Ordinal);
        Assert.Contains("`google_service_account`", handoff, StringComparison.Ordinal);
        Assert.Contains("service accounts", handoff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StateFromStandardInput_Works_AndNamesTheStateFileInTheCommands()
    {
        var run = await MigrateAsync(Aws(["outlook-cal"]), "prod", inPlace: false, stdin: Text(Aws(["outlook-cal"])));

        Assert.True(run.Exit == ExitCodes.Success, run.Err);
        AssertNoSecretAnywhere(run);
        Assert.Contains("'state.json' | pulumi config set --secret psoxy:pseudonymSalt --stack prod", run.Handoff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gcp_InPlace_WithPsoxysEmptyEnvironment_AdoptsTheApis_AndSaysWhichFunctionsCannotBe()
    {
        // examples-dev/gcp defaults environment_name to "": the functions are named after the connectors alone.
        var run = await MigrateAsync(Gcp(["outlook-cal", "msft-teams"], environment: ""), "psoxy", inPlace: true);

        Assert.True(run.Exit == ExitCodes.Success, run.Err);
        await AssertStackFilePlans(run);
        AssertNoSecretAnywhere(run);
        var entries = ImportEntries(run);
        await AssertImportMatchesThePlan(run, entries);
        Assert.DoesNotContain(entries, e => e.Type == "gcp:cloudfunctionsv2/function:Function");
        Assert.Contains(entries, e => e.Type == "gcp:projects/service:Service");
        Assert.Contains("Cloud Function of outlook-cal: Terraform's is 'outlook-cal', the stack's 'psoxy-outlook-cal'", run.Handoff, StringComparison.Ordinal);
        Assert.Contains("new **Psoxy Base URL**", run.Handoff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aws_WithoutTheSsmParametersInState_CarriesTerraformsRandomPassword_AndSaysSo()
    {
        var state = Aws(["outlook-cal"]);
        foreach (var module in Modules(state))
        {
            var resources = module["resources"]!.AsArray();
            foreach (var r in resources.Where(r => (string)r!["type"]! == "aws_ssm_parameter").ToList())
            {
                resources.Remove(r);
            }
        }

        var run = await MigrateAsync(state, "prod", inPlace: false);

        Assert.True(run.Exit == ExitCodes.Success, run.Err);
        AssertNoSecretAnywhere(run);
        Assert.Contains("'module.psoxy.module.psoxy.random_password.pseudonym_salt' '[.. | objects | select(.address? == $a)][0].values.result'", run.Handoff, StringComparison.Ordinal);
        Assert.Contains("The SSM parameter PSOXY_SALT is not in this state", run.Handoff, StringComparison.Ordinal);
    }

    public static TheoryData<string> BadStates => ["not json", "format 2.0", "not psoxy", "shared app", "old version", "no salt", "secrets manager", "same environment", "both hosts"];

    [Theory]
    [MemberData(nameof(BadStates))]
    public async Task BadOrIncompleteState_Exits2_SayingWhatWasFoundAndWhatIsMissing(string name)
    {
        var (state, environment, expected) = name switch
        {
            "not psoxy" => (JsonNode.Parse("""{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"aws_s3_bucket.logs","mode":"managed","type":"aws_s3_bucket","name":"logs","values":{"bucket":"logs"}}]}}}""")!.AsObject(),
                "prod", "Found: 1 aws_s3_bucket"),
            "format 2.0" => (WithFormatVersion(Aws(Connectors), "2.0"), "prod", "format_version is \"2.0\"; this reads format 1.x"),
            "shared app" => (SharedApplication(Aws(Connectors)), "prod", "shared-application mode"),
            "old version" => (Aws(Connectors, version: "0.4.61"), "prod", "this is Psoxy 0.4.61; migrate reads the states of Psoxy 0.5.x and 0.6.x"),
            "no salt" => (WithoutSalt(Aws(Connectors)), "prod", "Missing:"),
            "secrets manager" => (WithVariable(Aws(Connectors), "SECRETS_STORE", "AWS_SECRETS_MANAGER"), "prod", "AWS_SECRETS_MANAGER"),
            "same environment" => (Aws(Connectors), "psoxy", "--in-place"),
            "both hosts" => (BothHosts(), "prod", "both AWS"),
            _ => (new JsonObject(), "prod", "not JSON"),
        };

        var run = name == "not json"
            ? await MigrateAsync(new JsonObject(), environment, inPlace: false, stdin: "{ not json")
            : await MigrateAsync(state, environment, inPlace: false);

        Assert.Equal(ExitCodes.InvalidInput, run.Exit);
        Assert.Contains(expected, run.Err, StringComparison.Ordinal);
        Assert.StartsWith("migrate: ", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Err, StringComparison.Ordinal);
        AssertNoSecretAnywhere(run);
        Assert.False(File.Exists(run.StackFile));
    }

    private static JsonObject WithFormatVersion(JsonObject state, string version)
    {
        state["format_version"] = version;
        return state;
    }

    [Fact]
    public async Task ExistingFilesInOut_StopMigrateWritingNothing_NamingThem_UnlessForce()
    {
        var first = await MigrateAsync(Aws(["outlook-cal"]), "prod", inPlace: false);
        Assert.True(first.Exit == ExitCodes.Success, first.Err);
        const string Kept = "config:\n  psoxy:pseudonymSalt:\n    secure: v1:kept\n";
        await File.WriteAllTextAsync(first.StackFile, Kept);
        var statePath = Path.Combine(Path.GetDirectoryName(first.Directory)!, "state.json");
        string[] args = ["migrate", "--terraform-state", statePath, "--environment", "prod", "--out", first.Directory];

        var stderr = new StringWriter();
        var exit = await PsoxyCommandLine.RunAsync(args, new CommandOutput(new StringWriter(), stderr, Color: false));

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("already holds Pulumi.prod.yaml, MIGRATION.md; nothing was written", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("--force", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(Kept, await File.ReadAllTextAsync(first.StackFile));

        exit = await PsoxyCommandLine.RunAsync([.. args, "--force"], new CommandOutput(new StringWriter(), stderr, Color: false));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("psoxy:environment: prod", await File.ReadAllTextAsync(first.StackFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStateThatFailsItsChecks_LeavesTheOutputDirectoryUncreated()
    {
        var run = await MigrateAsync(WithoutSalt(Aws(Connectors)), "prod", inPlace: false);

        Assert.Equal(ExitCodes.InvalidInput, run.Exit);
        Assert.False(Directory.Exists(run.Directory));
    }

    [Fact]
    public async Task MissingStateFile_Exits2()
    {
        var stderr = new StringWriter();
        var exit = await PsoxyCommandLine.RunAsync(["migrate", "--terraform-state", "no-such-state.json", "--environment", "prod"], new CommandOutput(new StringWriter(), stderr, Color: false));

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("--terraform-state 'no-such-state.json': no such file", stderr.ToString(), StringComparison.Ordinal);
    }

    private static readonly string[] IpBlocks = ["203.0.113.0/24", "198.51.100.7"];

    private static Extras Behaviour() => new(
        IpBlocks,
        new Dictionary<string, string> { ["LOG_LEVEL"] = "DEBUG", ["PSOXY_FEATURE_FLAG"] = "true" },
        new Dictionary<string, string> { ["outlook-mail"] = MailRules });

    /// <summary>Runs <paramref name="action"/> as a user does with the written files: from the project directory they were copied into.</summary>
    private static async Task<T> InProjectDirectoryAsync<T>(Run run, Func<Task<T>> action)
    {
        await File.WriteAllTextAsync(Path.Combine(run.Directory, "Pulumi.yaml"), "name: psoxy\nruntime: dotnet\n");
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(run.Directory);
        try
        {
            return await action();
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    private static JsonObject VariablesOf(PlannedResource function) =>
        (function.Inputs["environment"]?["variables"] ?? function.Inputs["serviceConfig"]!["environmentVariables"])!.AsObject();

    [Theory]
    [InlineData("aws", false)]
    [InlineData("aws", true)]
    [InlineData("gcp", false)]
    public async Task CustomRulesIpAllowlistAndVariables_AreCarriedIntoAStackFileThatPlans_AndNoSecretReachesAnyOutput(string host, bool inPlace)
    {
        var aws = host == "aws";
        var state = aws ? Aws(Connectors, extras: Behaviour()) : Gcp(Connectors, extras: Behaviour());
        var run = await MigrateAsync(state, inPlace ? "psoxy" : "prod", inPlace);

        Assert.True(run.Exit == ExitCodes.Success, run.Err);
        AssertNoSecretAnywhere(run);
        Assert.Contains("carried over: custom rules of outlook-mail; IP allowlist (2 blocks); environment variables LOG_LEVEL, PSOXY_FEATURE_FLAG;", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT carried over", run.Err, StringComparison.Ordinal);
        Assert.Contains("custom-rules/outlook-mail.yaml", run.Err, StringComparison.Ordinal);

        // The rules file beside the stack file holds the rules as the deployment serves them, byte for byte (so the same SHA-1).
        Assert.Equal(MailRules, await File.ReadAllTextAsync(Path.Combine(run.Directory, "custom-rules", "outlook-mail.yaml")));
        var yaml = File.ReadAllText(run.StackFile);
        Assert.Contains("  psoxy:customRules:\n    outlook-mail: custom-rules/outlook-mail.yaml\n", yaml.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        var settings = await InProjectDirectoryAsync(run, () => Task.FromResult(StackFile.Load(run.StackFile, ConfigKeys.Namespace).ReadSettings()));
        Assert.Equal(IpBlocks, settings.Proxy.AllowedDataAccessIpBlocks);
        Assert.Equal(new Dictionary<string, string> { ["LOG_LEVEL"] = "DEBUG", ["PSOXY_FEATURE_FLAG"] = "true" }, settings.Proxy.EnvironmentVariables);
        Assert.Equal(MailRules, settings.Proxy.CustomRules["outlook-mail"].Yaml);

        var plan = await InProjectDirectoryAsync(run, () => PlanAsync(run));
        var functions = plan.Resources.Where(r => r.Type is "aws:lambda/function:Function" or "gcp:cloudfunctionsv2/function:Function").ToList();
        Assert.Equal(Connectors.Length, functions.Count);
        foreach (var function in functions)
        {
            var variables = VariablesOf(function);
            Assert.Equal("203.0.113.0/24,198.51.100.7", (string?)variables["ALLOWED_DATA_ACCESS_IP_BLOCKS"]);
            Assert.Equal("DEBUG", (string?)variables["LOG_LEVEL"]);
            Assert.Equal("true", (string?)variables["PSOXY_FEATURE_FLAG"]);
            var mail = ((string)function.Inputs["name"]!).EndsWith("outlook-mail", StringComparison.Ordinal);
            // The same CUSTOM_RULES_SHA as Terraform set (sha1 of the rules), on the mail connector only.
            var terraformSha = Terraform(state).Single(r => r.Type is "aws_lambda_function" or "google_cloudfunctions2_function" && r.Address.Contains("\"outlook-mail\"", StringComparison.Ordinal))
                .Values is var values && aws ? (string?)values["environment"]![0]!["variables"]!["CUSTOM_RULES_SHA"] : (string?)values["service_config"]![0]!["environment_variables"]!["CUSTOM_RULES_SHA"];
            Assert.Equal(mail ? terraformSha : null, (string?)variables["CUSTOM_RULES_SHA"]);
        }

        if (aws)
        {
            var parameter = plan.Resources.Single(r => r.Type == "aws:ssm/parameter:Parameter" && ((string?)r.Inputs["name"])?.EndsWith("OUTLOOK_MAIL_RULES", StringComparison.Ordinal) == true);
            Assert.Equal(MailRules, (string?)parameter.Inputs["insecureValue"]);
            var caller = plan.Resources.Single(r => r.Type == "aws:iam/role:Role" && ((string?)r.Inputs["name"])?.EndsWith("Caller", StringComparison.Ordinal) == true);
            Assert.Contains("aws:SourceIp", caller.Inputs["assumeRolePolicy"]!.ToJsonString(), StringComparison.Ordinal);
            if (inPlace)
            {
                // Terraform's RULES parameter has the name the stack declares: adopted, not created beside it.
                Assert.Contains(ImportEntries(run), e => e.Type == "aws:ssm/parameter:Parameter" && e.Id == "OUTLOOK_MAIL_RULES");
            }
        }

        var handoff = run.Handoff;
        Assert.Contains("the `custom-rules/` folder copied into it", handoff, StringComparison.Ordinal);
        Assert.Contains("- Custom rules: `custom-rules/outlook-mail.yaml` from ", handoff, StringComparison.Ordinal);
        Assert.Contains("- IP allowlist: `203.0.113.0/24`, `198.51.100.7` in `psoxy:allowedDataAccessIpBlocks`", handoff, StringComparison.Ordinal);
        Assert.Contains("- Environment variables: `LOG_LEVEL`, `PSOXY_FEATURE_FLAG` in `psoxy:environmentVariables`", handoff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhatMigrateDoesNotUnderstand_IsListedInTheRisksAndTheSummaryLine_NeverDroppedSilently()
    {
        var state = Aws(Connectors, extras: Behaviour());
        foreach (var module in Modules(state))
        {
            foreach (var r in module["resources"]!.AsArray().Where(r => (string)r!["type"]! == "aws_lambda_function"))
            {
                var variables = r!["values"]!["environment"]![0]!["variables"]!.AsObject();
                variables["ASYNC_OUTPUT_DESTINATION"] = "s3://psoxy-async";
                variables["SALT_IP"] = Secrets[5];
                if (((string)r["address"]!).Contains("\"outlook-cal\"", StringComparison.Ordinal))
                {
                    variables["ALLOWED_DATA_ACCESS_IP_BLOCKS"] = "192.0.2.0/24";
                    variables["CAL_ONLY"] = "x";
                }
            }

            foreach (var role in module["resources"]!.AsArray().Where(r => (string)r!["type"]! == "aws_iam_role" && (string)r!["name"]! == "api-caller"))
            {
                var policy = JsonNode.Parse((string)role!["values"]!["assume_role_policy"]!)!;
                policy["Statement"]!.AsArray().Add(new JsonObject
                {
                    ["Sid"] = "OrgOnly",
                    ["Action"] = "sts:AssumeRole",
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["AWS"] = "arn:aws:iam::111122223333:root" },
                    ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["aws:PrincipalOrgID"] = "o-abc123" } },
                });
                role["values"]!["assume_role_policy"] = policy.ToJsonString();
            }
        }

        var run = await MigrateAsync(state, "prod", inPlace: false);

        Assert.True(run.Exit == ExitCodes.Success, run.Err);
        AssertNoSecretAnywhere(run);
        Assert.Contains("custom rules of outlook-mail", run.Err, StringComparison.Ordinal);
        Assert.Contains("NOT carried over (5, see MIGRATION.md, risks): the IP allowlist, ASYNC_OUTPUT_DESTINATION, CAL_ONLY, SALT_IP, a caller trust statement;", run.Err, StringComparison.Ordinal);
        Assert.Contains("SALT_IP (on psoxy-msft-entra-id, psoxy-outlook-cal, psoxy-outlook-mail, psoxy-msft-teams) holds, by its name, a secret: not carried over", run.Handoff, StringComparison.Ordinal);
        var risks = run.Handoff[run.Handoff.IndexOf("Risks this state shows", StringComparison.Ordinal)..];
        Assert.Contains("The IP allowlist differs between the functions and the caller role (psoxy-msft-entra-id (ALLOWED_DATA_ACCESS_IP_BLOCKS): 203.0.113.0/24, 198.51.100.7; psoxy-outlook-cal (ALLOWED_DATA_ACCESS_IP_BLOCKS): 192.0.2.0/24", risks, StringComparison.Ordinal);
        Assert.Contains("ASYNC_OUTPUT_DESTINATION (on psoxy-msft-entra-id, psoxy-outlook-cal, psoxy-outlook-mail, psoxy-msft-teams) belongs to a Psoxy feature this program does not deploy", risks, StringComparison.Ordinal);
        Assert.Contains("CAL_ONLY is not the same on every function (set on psoxy-outlook-cal only)", risks, StringComparison.Ordinal);
        Assert.Contains("Not understood, so not carried over: trust statement 'OrgOnly' of psoxyCaller: condition StringEquals {\"aws:PrincipalOrgID\":\"o-abc123\"}", risks, StringComparison.Ordinal);
        Assert.Contains("- **Not carried over** (see the risks at the end)", run.Handoff, StringComparison.Ordinal);

        // Only what every function agrees on is carried; the rest is left for the user, named.
        var settings = await InProjectDirectoryAsync(run, () => Task.FromResult(StackFile.Load(run.StackFile, ConfigKeys.Namespace).ReadSettings()));
        Assert.Null(settings.Proxy.AllowedDataAccessIpBlocks);
        Assert.Equal(["LOG_LEVEL", "PSOXY_FEATURE_FLAG"], settings.Proxy.EnvironmentVariables.Keys.Order(StringComparer.Ordinal));
        var (exit, _, stderr) = await InProjectDirectoryAsync(run, () => CommandRun.RunInAsync(run.Directory, "plan", "--config-file", run.StackFile));
        Assert.True(exit == ExitCodes.Success, stderr);
    }

    [Fact]
    public async Task CustomRulesShaWithoutTheRules_IsARisk_NotASilentFallbackToPrebuiltRules()
    {
        var state = Aws(Connectors, extras: Behaviour());
        foreach (var module in Modules(state).Where(m => ((string?)m["address"])?.Contains("custom_api_connector_rules", StringComparison.Ordinal) == true))
        {
            module["resources"]!.AsArray().Clear();
        }

        var run = await MigrateAsync(state, "prod", inPlace: false);

        Assert.True(run.Exit == ExitCodes.Success, run.Err);
        Assert.Contains("outlook-mail custom rules", run.Err, StringComparison.Ordinal);
        Assert.Contains("psoxy-outlook-mail has CUSTOM_RULES_SHA", run.Handoff, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(run.Directory, "custom-rules")));
    }

    [Fact]
    public async Task ExistingRulesFileInOut_StopsMigrate_UnlessForce()
    {
        var first = await MigrateAsync(Gcp(["outlook-mail"], extras: Behaviour()), "prod", inPlace: false);
        Assert.True(first.Exit == ExitCodes.Success, first.Err);
        var rulesFile = Path.Combine(first.Directory, "custom-rules", "outlook-mail.yaml");
        File.Delete(first.StackFile);
        File.Delete(Path.Combine(first.Directory, "MIGRATION.md"));
        await File.WriteAllTextAsync(rulesFile, "edited: true\n");
        var statePath = Path.Combine(Path.GetDirectoryName(first.Directory)!, "state.json");
        string[] args = ["migrate", "--terraform-state", statePath, "--environment", "prod", "--out", first.Directory];

        var stderr = new StringWriter();
        var exit = await PsoxyCommandLine.RunAsync(args, new CommandOutput(new StringWriter(), stderr, Color: false));

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("already holds custom-rules/outlook-mail.yaml; nothing was written", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal("edited: true\n", await File.ReadAllTextAsync(rulesFile));
        Assert.False(File.Exists(first.StackFile));

        exit = await PsoxyCommandLine.RunAsync([.. args, "--force"], new CommandOutput(new StringWriter(), stderr, Color: false));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(MailRules, await File.ReadAllTextAsync(rulesFile));
    }

    [Fact]
    public async Task Gcp_SaltVersionsAddedOutsideTerraform_AreNotNeededInTheState_TheHandoffReadsWhatTheProxiesRead()
    {
        var run = await MigrateAsync(WithoutSecretData(Gcp(Connectors)), "prod", inPlace: false);

        Assert.True(run.Exit == ExitCodes.Success, run.Err);
        AssertNoSecretAnywhere(run);
        var handoff = run.Handoff;
        Assert.Contains("gcloud secrets versions access \"$v\" --secret 'psoxy_PSOXY_SALT'", handoff, StringComparison.Ordinal);
        Assert.Contains("not the version Terraform's state or the functions' secret binding pins", handoff, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("gcp")]
    public async Task TheHandoffEndsWithTheSaltCheck_BeforeWorklyticsIsSwitched(string host)
    {
        var run = await MigrateAsync(host == "aws" ? Aws(["outlook-cal"]) : Gcp(["outlook-cal"]), "prod", inPlace: false);

        Assert.True(run.Exit == ExitCodes.Success, run.Err);
        var handoff = run.Handoff;
        var check = handoff.IndexOf("Check the salt before Worklytics uses the stack", StringComparison.Ordinal);
        Assert.True(check > handoff.IndexOf("pulumi up --stack prod", StringComparison.Ordinal));
        Assert.True(check < handoff.IndexOf("Risks this state shows", StringComparison.Ordinal));
        Assert.Contains("dotnet run --project Psoxy.Infra -- verify --stack prod", handoff[check..], StringComparison.Ordinal);
        Assert.Contains("pulumi stack output saltSha256Hash --stack prod", handoff[check..], StringComparison.Ordinal);
        Assert.Contains("--health-check", handoff[check..], StringComparison.Ordinal);
        Assert.Contains(host == "aws" ? $".lambda-url.eu-west-1.on.aws/ -r arn:aws:iam::{Account}:role/psoxyCaller --health-check" : "cloudfunctions.net/psoxy-outlook-cal -t $(gcloud auth print-identity-token) --health-check", handoff[check..], StringComparison.Ordinal);
        Assert.Contains("note the `saltSha256Hash` their health check reports", handoff[handoff.IndexOf("Deploy", StringComparison.Ordinal)..check], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TerraformsFederatedCredentials_AreNamedWithTheirAddresses_SinceDestroyDeletesThem()
    {
        var run = await MigrateAsync(Aws(["outlook-cal", "outlook-mail"]), "prod", inPlace: false);

        Assert.True(run.Exit == ExitCodes.Success, run.Err);
        var handoff = run.Handoff;
        Assert.DoesNotContain("stay on the applications", handoff, StringComparison.Ordinal);
        Assert.Contains("`terraform destroy` deletes them from the adopted applications", handoff, StringComparison.Ordinal);
        foreach (var id in new[] { "outlook-cal", "outlook-mail" })
        {
            Assert.Contains($"terraform state rm 'module.msft_connection_auth_federation[\"{id}\"].azuread_application_federated_identity_credential.federated_credential'", handoff, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Psoxy05State_WithTheSameAddresses_IsMigrated_WithItsOwnBundle()
    {
        var run = await MigrateAsync(Aws(Connectors, version: "0.5.18"), "prod", inPlace: false);

        Assert.True(run.Exit == ExitCodes.Success, run.Err);
        await AssertStackFilePlans(run);
        Assert.Contains("deploymentBundle: s3://psoxy-public-artifacts-eu-west-1/psoxy-aws-0.5.18.jar", File.ReadAllText(run.StackFile), StringComparison.Ordinal);
        Assert.Contains("This is Psoxy 0.5.18", run.Handoff, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AzureAdConnector_IsMigratedAsMsftEntraId_ItsApplicationAdopted_AndTheHandoffSaysWhyItsFunctionIsNew()
    {
        var run = await MigrateAsync(Aws(["azure-ad", "outlook-cal"]), "psoxy", inPlace: true);

        Assert.True(run.Exit == ExitCodes.Success, run.Err);
        await AssertStackFilePlans(run);
        var settings = StackFile.Load(run.StackFile, ConfigKeys.Namespace).ReadSettings();
        Assert.Equal(["msft-entra-id", "outlook-cal"], settings.Connectors.Select(c => c.Id));
        Assert.Equal(ObjectIdOf("azure-ad"), settings.ExistingApplications["msft-entra-id"]);
        Assert.Contains("`azure-ad` is Psoxy's older id of `msft-entra-id`", run.Handoff, StringComparison.Ordinal);
        Assert.Contains("Lambda function of msft-entra-id: Terraform's is 'psoxy-azure-ad'", run.Handoff, StringComparison.Ordinal);
        Assert.DoesNotContain(ImportEntries(run), e => e.Id == "psoxy-azure-ad");
    }

    private static JsonObject WithoutSecretData(JsonObject state)
    {
        foreach (var module in Modules(state))
        {
            foreach (var r in module["resources"]!.AsArray().Where(r => (string)r!["type"]! == "google_secret_manager_secret_version"))
            {
                r!["values"]!.AsObject().Remove("secret_data");
            }
        }

        return state;
    }

    private static JsonObject BothHosts()
    {
        var aws = Aws(["outlook-cal"]);
        var gcp = Gcp(["outlook-mail"]);
        var modules = aws["values"]!["root_module"]!["child_modules"]!.AsArray();
        foreach (var module in gcp["values"]!["root_module"]!["child_modules"]!.AsArray().ToList())
        {
            var copy = module!.DeepClone().AsObject();
            copy["address"] = "module.gcp_" + ((string)copy["address"]!).Replace("module.", string.Empty, StringComparison.Ordinal);
            modules.Add(copy);
        }

        return aws;
    }

    private static JsonObject WithoutSalt(JsonObject state)
    {
        foreach (var module in Modules(state))
        {
            var resources = module["resources"]!.AsArray();
            foreach (var r in resources.Where(r => (string)r!["type"]! is "aws_ssm_parameter" or "random_password").ToList())
            {
                resources.Remove(r);
            }
        }

        return state;
    }

    private static JsonObject WithVariable(JsonObject state, string name, string value)
    {
        foreach (var module in Modules(state))
        {
            foreach (var r in module["resources"]!.AsArray().Where(r => (string)r!["type"]! == "aws_lambda_function"))
            {
                r!["values"]!["environment"]![0]!["variables"]![name] = value;
            }
        }

        return state;
    }

    private static IEnumerable<JsonObject> Modules(JsonObject state)
    {
        IEnumerable<JsonObject> Walk(JsonObject module) =>
            new[] { module }.Concat((module["child_modules"]?.AsArray() ?? []).SelectMany(c => Walk(c!.AsObject())));
        return Walk(state["values"]!["root_module"]!.AsObject());
    }

    private static IEnumerable<(string Type, string Address, JsonObject Values)> Terraform(JsonObject state) =>
        Modules(state).SelectMany(m => m["resources"]!.AsArray()).Select(r => ((string)r!["type"]!, (string)r["address"]!, r["values"]!.AsObject()));
}
