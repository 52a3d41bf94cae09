using System.Text.Json.Nodes;
using Psoxy.Infra.Cli;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Planning.State;
using Psoxy.Infra.Tests.Testing;
using Pulumi;

namespace Psoxy.Infra.Tests.Planning;

/// <summary><c>plan --state</c>: the repository's stacks planned against exports of themselves as deployed, changed on purpose.</summary>
public sealed class StatePlanTests
{
    public static TheoryData<string> StackFiles => [.. Repository.StackFiles];

    private const string GcpStack = "Pulumi.dev.yaml";
    private const string AwsStack = "stacks/Pulumi.prod-aws.yaml";

    public static TheoryData<string> BothHosts => [GcpStack, AwsStack];

    private static string StackOf(string stackFile) => ProjectPaths.StackNameOf(stackFile);

    private static async Task<(int Exit, string Stdout, string Stderr)> PlanAgainstAsync(string stackFile, JsonObject export, params string[] args)
    {
        var path = await StateExports.WriteAsync(export);
        try
        {
            return await CommandRun.RunAsync(["plan", "--config-file", stackFile, "--state", path, .. args]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<JsonArray> StepsAsync(string stackFile, JsonObject export)
    {
        var (exit, stdout, stderr) = await PlanAgainstAsync(stackFile, export, "--format", "json");
        Assert.True(exit == ExitCodes.Success, stderr);
        return (JsonArray)JsonNode.Parse(stdout)!["steps"]!;
    }

    private static JsonObject Step(JsonArray steps, string urnEnd) =>
        steps.OfType<JsonObject>().Single(s => ((string)s["urn"]!).EndsWith(urnEnd, StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(StackFiles))]
    public async Task EveryRepositoryStack_PlannedAgainstAnExportOfItself_ShowsNoChange(string stackFile)
    {
        var export = await StateExports.OfAsync(stackFile, StackOf(stackFile));

        var (exit, stdout, stderr) = await PlanAgainstAsync(stackFile, export, "--expect-no-changes");

        Assert.True(exit == ExitCodes.Success, stdout + stderr);
        Assert.Contains("No changes.", stdout);
        Assert.DoesNotContain(StateExports.Ciphertext, stdout + stderr);
        Assert.DoesNotContain("pulumi:providers", stdout);
    }

    /// <summary>
    /// A secret input is never decrypted: it is unchanged when it comes from the same source as the deployed one (the
    /// same resources' outputs, or configuration), and changed, masked, when its source differs.
    /// </summary>
    [Theory]
    [MemberData(nameof(BothHosts))]
    public async Task ASecretInput_ComparesByItsSource_NeverByItsValue(string stackFile)
    {
        var stackName = StackOf(stackFile);
        var export = await StateExports.OfAsync(stackFile, stackName);
        var config = StackFile.Load(Path.Combine(Repository.Root, stackFile), "psoxy");
        var plan = await Repository.InRootAsync(() => OfflinePlan.PlanAsync(stackName, stackFile, config, [], [], new DeployedState(StackExport.Read(export.ToJsonString(), "export", "psoxy", stackName))));
        IReadOnlyList<PlanStep> Steps(JsonObject changed) => StateDiff.Compute(plan, StackExport.Read(changed.ToJsonString(), "export", "psoxy", stackName));
        var secretInputs = StateExports.Resources(export).OfType<JsonObject>()
            .SelectMany(r => (r["inputs"] as JsonObject ?? []).Where(kv => StateDiff.IsStateSecret(kv.Value)).Select(kv => (Resource: r, Input: kv.Key)))
            .ToList();
        bool FromResources((JsonObject Resource, string Input) s) => s.Resource["propertyDependencies"]?[s.Input] is JsonArray { Count: > 0 };

        // Same sources everywhere: no change, though every secret is ciphertext the plan cannot read.
        Assert.All(Steps(export), step => Assert.Equal(StepOp.Same, step.Op));

        // Deployed from configuration, or from another resource's output, than the program now takes it from: a
        // change of that input, its value never shown.
        var fromResource = secretInputs.First(FromResources);
        var otherSource = StateExports.Resources(export).OfType<JsonObject>().First(r => r["urn"]!.ToString() != fromResource.Resource["urn"]!.ToString()
            && !(fromResource.Resource["propertyDependencies"]![fromResource.Input]!.AsArray().Any(d => d!.ToString() == r["urn"]!.ToString())))["urn"]!.ToString();
        foreach (var (resource, input, rewire) in new (JsonObject, string, Action<JsonObject>)[]
        {
            (fromResource.Resource, fromResource.Input, deps => deps.Remove(fromResource.Input)),
            (fromResource.Resource, fromResource.Input, deps => deps[fromResource.Input] = new JsonArray(otherSource)),
        })
        {
            var changed = export.DeepClone().AsObject();
            var copy = StateExports.Resources(changed).OfType<JsonObject>().Single(r => (string)r["urn"]! == (string)resource["urn"]!);
            copy["propertyDependencies"] ??= new JsonObject();
            rewire(copy["propertyDependencies"]!.AsObject());

            var step = Assert.Single(Steps(changed), s => s.IsChange);
            Assert.Equal((string)resource["urn"]!, step.Urn);
            Assert.Equal([input], step.DiffReasons);
        }

    }

    [Fact]
    public async Task ASecretFromAnotherSource_IsShownAsChanged_InEveryFormat_WithoutItsValue()
    {
        var export = await StateExports.OfAsync(GcpStack, StackOf(GcpStack));
        var salt = StateExports.Resources(export).OfType<JsonObject>().Single(r => r["urn"]!.ToString().EndsWith("::gcp-pseudonym-salt-version", StringComparison.Ordinal));
        // As if the deployed salt had come from configuration, not from the generated password.
        salt["propertyDependencies"]!.AsObject().Remove("secretData");

        foreach (var format in new[] { "text", "markdown", "json" })
        {
            var (exit, stdout, stderr) = await PlanAgainstAsync(GcpStack, export, "--format", format, "--expect-no-changes");
            Assert.True(exit == ExitCodes.ChangesFound, stdout + stderr);
            Assert.Contains("secretData", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(StateExports.Ciphertext, stdout + stderr, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The applications' owners include who runs `pulumi up`: unknown offline, they are known only at deploy, never a
    /// change; given --deployer-object-id (and owners by object id: a user principal name is a directory lookup), they
    /// are compared: the same deployer is no change, another is an update.
    /// </summary>
    [Theory]
    [MemberData(nameof(BothHosts))]
    public async Task OwnersFromTheDeployer_AreKnownAtDeploy_OrComparedWhenTheDeployerIsGiven(string stackFile)
    {
        var stackName = StackOf(stackFile);
        // The stack with its owners by object id only, in a scratch copy.
        var scratch = Path.Combine(Path.GetTempPath(), $"psoxy-owners-{Guid.NewGuid():N}", Path.GetFileName(stackFile));
        Directory.CreateDirectory(Path.GetDirectoryName(scratch)!);
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, stackFile)).Where(l => !l.TrimStart().StartsWith("- it-admin@", StringComparison.Ordinal)).ToList();
        if (!lines.Any(l => l.TrimStart().StartsWith("- 3a7d9c1e-", StringComparison.Ordinal)))
        {
            lines.Insert(lines.FindIndex(l => l.Trim() == "psoxy:msftOwners:") + 1, "    - 3a7d9c1e-5b2f-4e8a-9c6d-1f0e2b3a4c5d");
        }

        File.WriteAllLines(scratch, lines);
        try
        {
            var export = StackExport.Read((await StateExports.OfAsync(scratch, stackName)).ToJsonString(), "export", "psoxy", stackName);
            var config = StackFile.Load(scratch, "psoxy");
            async Task<List<PlanStep>> ApplicationsWith(string? deployer) =>
                [.. StateDiff.Compute(await Repository.InRootAsync(() => OfflinePlan.PlanAsync(stackName, stackFile, config, [], [], new DeployedState(export), deployer)), export)
                    .Where(s => s.Type == "azuread:index/application:Application")];

            var unknown = await ApplicationsWith(null);
            var same = await ApplicationsWith(FakeCloud.DeployerObjectId);
            var other = await ApplicationsWith("0f0f0f0f-0000-4000-8000-00000000000f");

            static string Summary(PlanStep s) => $"{s.Op} changed:[{string.Join(",", s.DiffReasons)}] atDeploy:[{string.Join(",", s.KnownAtDeploy)}]";
            Assert.NotEmpty(unknown);
            Assert.All(unknown, s => Assert.Equal("Same changed:[] atDeploy:[owners]", Summary(s)));
            Assert.All(same, s => Assert.Equal("Same changed:[] atDeploy:[]", Summary(s)));
            Assert.All(other, s => Assert.Equal("Update changed:[owners] atDeploy:[]", Summary(s)));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(scratch)!, recursive: true);
        }
    }

    [Fact]
    public async Task DeployerObjectId_MustBeAGuid()
    {
        var (exit, stdout, stderr) = await CommandRun.RunAsync(["plan", "--deployer-object-id", "alice@contoso.example"]);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("--deployer-object-id 'alice@contoso.example' is not an object id", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    // A resource each host declares, with one input that forces its replacement and one its provider updates in place.
    private static (string Type, string Name, string Forcing, string InPlace) FunctionOf(string stackFile) => stackFile == AwsStack
        ? ("aws:lambda/function:Function", "outlook-cal-function", "name", "memorySize")
        : ("gcp:cloudfunctionsv2/function:Function", "outlook-cal-function", "name", "description");

    [Theory]
    [MemberData(nameof(BothHosts))]
    public async Task AChangedInPlaceInput_IsAnUpdate_NamingIt(string stackFile)
    {
        var (type, name, _, inPlace) = FunctionOf(stackFile);
        var export = await StateExports.OfAsync(stackFile, StackOf(stackFile));
        StateExports.Resource(export, type, name)["inputs"]![inPlace] = "changed-since-deployed";

        var step = Step(await StepsAsync(stackFile, export), "::" + name);

        Assert.Equal("update", (string?)step["op"]);
        Assert.Equal([inPlace], step["diffReasons"]!.AsArray().Select(r => (string?)r));
        Assert.Equal("update", (string?)step["detailedDiff"]![inPlace]!["kind"]);
    }

    [Theory]
    [MemberData(nameof(BothHosts))]
    public async Task AChangedReplacementForcingInput_IsAReplace_NamingIt_FirstAndRedInTheText(string stackFile)
    {
        var (type, name, forcing, _) = FunctionOf(stackFile);
        var export = await StateExports.OfAsync(stackFile, StackOf(stackFile));
        StateExports.Resource(export, type, name)["inputs"]![forcing] = "old-function-name";

        var step = Step(await StepsAsync(stackFile, export), "::" + name);
        var (exit, text, _) = await CommandRun.RunAsync(color: true, "plan", "--config-file", stackFile, "--state", await StateExports.WriteAsync(export), "--expect-no-changes");

        Assert.Equal("replace", (string?)step["op"]);
        Assert.Equal([forcing], step["replaceReasons"]!.AsArray().Select(r => (string?)r));
        Assert.Equal(ExitCodes.ChangesFound, exit);
        var critical = text.IndexOf("Replacements and deletes of what users rely on", StringComparison.Ordinal);
        Assert.True(critical > 0, text);
        Assert.Contains($"\u001b[31m  +- {type}  {name}: replace (forced by {forcing})", text);
        Assert.True(critical < text.IndexOf("All changes", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(BothHosts))]
    public async Task AResourceMissingFromTheState_IsACreate_AndOneTheProgramNoLongerDeclares_ADelete(string stackFile)
    {
        var (type, name, _, _) = FunctionOf(stackFile);
        var export = await StateExports.OfAsync(stackFile, StackOf(stackFile));
        var resources = StateExports.Resources(export);
        resources.Remove(StateExports.Resource(export, type, name));
        var gone = (JsonObject)StateExports.Resource(export, type, "outlook-mail-function").DeepClone();
        gone["urn"] = ((string)gone["urn"]!).Replace("outlook-mail-function", "retired-function", StringComparison.Ordinal);
        resources.Add(gone);

        var steps = await StepsAsync(stackFile, export);

        Assert.Equal("create", (string?)Step(steps, "::" + name)["op"]);
        Assert.Equal("delete", (string?)Step(steps, "::retired-function")["op"]);
        Assert.Null(Step(steps, "::retired-function")["protected"]);
        Assert.DoesNotContain(steps, s => ((string)s!["urn"]!).Contains("pulumi:providers:", StringComparison.Ordinal));
        Assert.Contains(StateExports.Resources(export), r => ((string)r!["type"]!).StartsWith("pulumi:providers:", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(BothHosts))]
    public async Task AProtectedResourceTheProgramNoLongerDeclares_IsCalledOutAsBlocking(string stackFile)
    {
        var export = await StateExports.OfAsync(stackFile, StackOf(stackFile));
        var gone = (JsonObject)StateExports.Resource(export, "azuread:index/application:Application", "outlook-cal").DeepClone();
        gone["urn"] = ((string)gone["urn"]!).Replace("::outlook-cal", "::retired-app", StringComparison.Ordinal);
        gone["protect"] = true;
        StateExports.Resources(export).Add(gone);

        var (exit, stdout, _) = await PlanAgainstAsync(stackFile, export);
        var step = Step(await StepsAsync(stackFile, export), "::retired-app");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal("delete", (string?)step["op"]);
        Assert.Equal(true, (bool?)step["protected"]);
        Assert.Contains("Blocking `pulumi up`", stdout);
        Assert.Contains("retired-app: delete (protected: blocks `pulumi up`)", stdout);
    }

    [Theory]
    [MemberData(nameof(BothHosts))]
    public async Task AResourceRenamedWithAnAlias_IsTheSameResource_NotADeleteAndACreate(string stackFile)
    {
        var (type, name, _, _) = FunctionOf(stackFile);
        var stackName = StackOf(stackFile);
        // The state has the resource under its old name; the program declares it under the new one.
        var export = Rename(await StateExports.OfAsync(stackFile, stackName), name, "old-" + name);
        var config = StackFile.Load(Path.Combine(Repository.Root, stackFile), "psoxy");
        async Task<IReadOnlyList<PlanStep>> StepsWith(IEnumerable<ResourceTransformation> changes)
        {
            var state = StackExport.Read(export.ToJsonString(), "export", "psoxy", stackName);
            var plan = await Repository.InRootAsync(() => OfflinePlan.PlanAsync(stackName, stackFile, config, [], changes, new DeployedState(state)));
            return StateDiff.Compute(plan, state);
        }

        var withoutAlias = await StepsWith([]);
        var withAlias = await StepsWith([AliasTo("old-" + name)]);

        Assert.Contains(withoutAlias, s => s.Op == StepOp.Create && s.Name == name);
        Assert.Contains(withoutAlias, s => s.Op == StepOp.Delete && s.Name == "old-" + name);
        var step = Assert.Single(withAlias, s => s.Name == name);
        Assert.Equal(StepOp.Same, step.Op);
        Assert.EndsWith("::old-" + name, step.OldUrn);
        Assert.DoesNotContain(withAlias, s => s.Op == StepOp.Delete);
        // Found through its alias, it answers with the state's id and outputs, as found by name: what depends on
        // them plans exactly as against the export before the rename.
        var original = StackExport.Read((await StateExports.OfAsync(stackFile, stackName)).ToJsonString(), "export", "psoxy", stackName);
        var planBefore = await Repository.InRootAsync(() => OfflinePlan.PlanAsync(stackName, stackFile, config, [], [], new DeployedState(original)));
        var renamedState = StackExport.Read(export.ToJsonString(), "export", "psoxy", stackName);
        var planWithAlias = await Repository.InRootAsync(() => OfflinePlan.PlanAsync(stackName, stackFile, config, [], [AliasTo("old-" + name)], new DeployedState(renamedState)));
        Assert.Equal(StateDiff.Compute(planBefore, original).Select(Summary), withAlias.Select(Summary));
        Assert.Equal(OutputsOf(planBefore), OutputsOf(planWithAlias));

        static string OutputsOf(Plan plan) => string.Join("\n", plan.Outputs.Select(o => $"{o.Name}={(o.Secret ? "[secret]" : o.Value?.ToJsonString())}"));

        static string Summary(PlanStep s) => $"{s.Op} {s.Name} changed:[{string.Join(",", s.DiffReasons)}] atDeploy:[{string.Join(",", s.KnownAtDeploy)}]";

        // As if the program declared the alias: added to the options the recorder saw, changing nothing else.
        ResourceTransformation AliasTo(string oldName) => args =>
        {
            if (args.Resource.GetResourceType() == type && args.Resource.GetResourceName() == name)
            {
                args.Options.Aliases.Add(new Alias { Name = oldName });
            }

            return null;
        };
    }

    /// <summary>The export with the resource <paramref name="name"/> under <paramref name="newName"/>, as before a rename.</summary>
    private static JsonObject Rename(JsonObject export, string name, string newName)
    {
        var copy = (JsonObject)export.DeepClone();
        foreach (var resource in StateExports.Resources(copy).OfType<JsonObject>().Where(r => ((string)r["urn"]!).EndsWith("::" + name, StringComparison.Ordinal)))
        {
            resource["urn"] = ((string)resource["urn"]!)[..^name.Length] + newName;
        }

        return copy;
    }

    [Theory]
    [MemberData(nameof(BothHosts))]
    public async Task ASecretInput_ComparesBySource_AndNoValueOrCiphertextIsPrinted(string stackFile)
    {
        var export = await StateExports.OfAsync(stackFile, StackOf(stackFile));
        var secretInputs = StateExports.Resources(export).OfType<JsonObject>()
            .Where(r => r["inputs"] is JsonObject i && i.Any(kv => StateDiff.IsStateSecret(kv.Value))).ToList();
        Assert.NotEmpty(secretInputs);
        var resource = secretInputs[0];
        var key = resource["inputs"]!.AsObject().First(kv => StateDiff.IsStateSecret(kv.Value)).Key;
        resource["inputs"]![key] = "a plain value the state had before it was secret";

        foreach (var format in new[] { "text", "json", "markdown" })
        {
            var (exit, stdout, stderr) = await PlanAgainstAsync(stackFile, export, "--format", format);
            Assert.True(exit == ExitCodes.Success, stderr);
            Assert.DoesNotContain(StateExports.Ciphertext, stdout);
        }

        var step = Step(await StepsAsync(stackFile, export), (string)resource["urn"]!);
        Assert.Contains(key, step["diffReasons"]!.AsArray().Select(r => (string?)r));
    }

    [Theory]
    [MemberData(nameof(BothHosts))]
    public async Task TheOwnersTheDeployerAdds_AreKnownOnlyAtDeploy_NotAChange(string stackFile)
    {
        var export = await StateExports.OfAsync(stackFile, StackOf(stackFile));

        var application = Step(await StepsAsync(stackFile, export), "Application::outlook-cal");

        Assert.Equal("same", (string?)application["op"]);
        Assert.Contains("owners", application["knownAtDeploy"]!.AsArray().Select(k => (string?)k));
    }

    [Fact]
    public async Task TheStateIsReadFromStandardInput_WithADash()
    {
        var export = await StateExports.OfAsync(GcpStack, "dev");
        var exit = await Repository.InRootAsync(async () =>
        {
            using var stdout = new StringWriter();
            var output = new CommandOutput(stdout, new StringWriter(), Color: false) { In = new StringReader(export.ToJsonString()) };
            var code = await PsoxyCommandLine.RunAsync(["plan", "--state", "-", "--expect-no-changes"], output);
            Assert.Contains("No changes.", stdout.ToString());
            return code;
        });

        Assert.Equal(ExitCodes.Success, exit);
    }

    [Fact]
    public async Task AnExportOfAnotherStack_IsRefused_NamingBoth()
    {
        var export = await StateExports.OfAsync(AwsStack, "prod-aws");

        var (exit, stdout, stderr) = await PlanAgainstAsync(GcpStack, export);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Empty(stdout);
        Assert.Contains("stack 'prod-aws'", stderr);
        Assert.Contains("not of stack 'dev'", stderr);
    }

    [Theory]
    [InlineData("{\"version\": 3, \"deployment\": ", "not valid JSON")]
    [InlineData("[1, 2]", "not a `pulumi stack export` document")]
    [InlineData("{\"version\": 2, \"deployment\": {\"resources\": []}}", "deployment version 2 is not supported")]
    [InlineData("{\"deployment\": {}}", "no \"version\"")]
    [InlineData("{\"version\": 3, \"deployment\": {\"resources\": [{\"urn\": \"not-a-urn\", \"type\": \"x\"}]}}", "is not a Pulumi URN")]
    public async Task AMalformedOrOtherVersionExport_ExitsTwo_SayingWhat(string text, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"psoxy-export-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, text);

        var (exit, stdout, stderr) = await CommandRun.RunAsync("plan", "--state", path);
        File.Delete(path);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Empty(stdout);
        Assert.Contains("--state", stderr);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task ExpectNoChangesWithoutState_IsAnArgumentError()
    {
        var (exit, _, stderr) = await CommandRun.RunAsync("plan", "--expect-no-changes");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("needs --state", stderr);
    }

    public static TheoryData<string> ReplacementTypes => [.. ReplacementInputs.ByType.Keys.Order(StringComparer.Ordinal)];

    /// <summary>
    /// Per type, a real input of the provider's that changes in place (not ForceNew), or null where the provider
    /// replaces the resource on a change of any input (IAM members, role assignments, generated keys and passwords),
    /// or none the program sets can be named with certainty.
    /// </summary>
    private static readonly Dictionary<string, string?> InPlaceInputs = new(StringComparer.Ordinal)
    {
        ["azuread:index/application:Application"] = "displayName",
        ["azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential"] = "subject",
        ["azuread:index/applicationCertificate:ApplicationCertificate"] = null,
        ["azuread:index/servicePrincipal:ServicePrincipal"] = "appRoleAssignmentRequired",
        ["azuread:index/appRoleAssignment:AppRoleAssignment"] = null,
        ["random:index/randomPassword:RandomPassword"] = null,
        ["tls:index/privateKey:PrivateKey"] = null,
        ["aws:cognito/identityPool:IdentityPool"] = "identityPoolName",
        ["aws:lambda/function:Function"] = "memorySize",
        ["aws:lambda/functionUrl:FunctionUrl"] = "authorizationType",
        ["aws:iam/role:Role"] = "assumeRolePolicy",
        ["aws:iam/rolePolicy:RolePolicy"] = "policy",
        ["aws:iam/policy:Policy"] = "policy",
        ["aws:iam/rolePolicyAttachment:RolePolicyAttachment"] = null,
        ["aws:cloudwatch/logGroup:LogGroup"] = "retentionInDays",
        ["aws:ssm/parameter:Parameter"] = "value",
        ["aws:s3/bucket:Bucket"] = "forceDestroy",
        ["aws:s3/bucketObjectv2:BucketObjectv2"] = "source",
        ["gcp:serviceaccount/account:Account"] = "displayName",
        ["gcp:cloudfunctionsv2/function:Function"] = "description",
        ["gcp:secretmanager/secret:Secret"] = "labels",
        ["gcp:secretmanager/secretVersion:SecretVersion"] = "enabled",
        ["gcp:secretmanager/secretIamMember:SecretIamMember"] = null,
        ["gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding"] = "members",
        ["gcp:cloudrunv2/serviceIamMember:ServiceIamMember"] = null,
        ["gcp:storage/bucket:Bucket"] = "labels",
        ["gcp:storage/bucketObject:BucketObject"] = null,
        ["gcp:projects/service:Service"] = "disableOnDestroy",
        ["gcp:projects/iAMMember:IAMMember"] = null,
        ["gcp:serviceaccount/iAMMember:IAMMember"] = null,
        ["gcp:artifactregistry/repository:Repository"] = "description",
        ["gcp:artifactregistry/repositoryIamMember:RepositoryIamMember"] = null,
        ["gcp:storage/bucketIAMMember:BucketIAMMember"] = null,
    };

    [Fact]
    public void EveryTypeOfTheTable_HasItsInPlaceInputDecided()
    {
        Assert.Equal(ReplacementInputs.ByType.Keys.Order(StringComparer.Ordinal), InPlaceInputs.Keys.Order(StringComparer.Ordinal));
        Assert.All(InPlaceInputs.Where(kv => kv.Value is not null), kv => Assert.DoesNotContain(kv.Value, ReplacementInputs.ByType[kv.Key]));
    }

    /// <summary>Per type of the table: a change of each replacement-forcing input is a replace, of a real in-place input an update; an unknown type may replace.</summary>
    [Theory]
    [MemberData(nameof(ReplacementTypes))]
    public void PerType_AForcingInputReplaces_AnotherUpdates(string type)
    {
        foreach (var forcing in ReplacementInputs.ByType[type])
        {
            var step = Assert.Single(StateDiff.Compute(PlanOf(type, forcing, "new"), ExportOf(type, forcing, "old")));
            Assert.Equal(StepOp.Replace, step.Op);
            Assert.Equal([forcing], step.ReplaceReasons);
            Assert.False(step.MayReplace);
        }

        if (InPlaceInputs.GetValueOrDefault(type) is { } inPlace)
        {
            var update = Assert.Single(StateDiff.Compute(PlanOf(type, inPlace, "new"), ExportOf(type, inPlace, "old")));
            Assert.Equal(StepOp.Update, update.Op);
            Assert.Equal([inPlace], update.DiffReasons);
        }
    }

    [Fact]
    public void ATypeWithoutKnownReplacementInputs_MayReplace_NeverSame()
    {
        var step = Assert.Single(StateDiff.Compute(PlanOf("aws:unknown/thing:Thing", "anything", "new"), ExportOf("aws:unknown/thing:Thing", "anything", "old")));

        Assert.Equal(StepOp.Replace, step.Op);
        Assert.True(step.MayReplace);
    }

    private const string Urn = "urn:pulumi:dev::psoxy::";

    private static Plan PlanOf(string type, string key, string value)
    {
        var stack = new PlannedResource(Urn + "pulumi:pulumi:Stack::psoxy-dev", StackGraph.StackType, "psoxy-dev", null, false, false, [], [], []);
        var resource = new PlannedResource(Urn + type + "::r", type, "r", stack.Urn, true, false, new JsonObject { [key] = value, ["same"] = 1 }, [], []);
        return new Plan("dev", "Pulumi.dev.yaml", [], [], [stack, resource], [], string.Empty, string.Empty, []);
    }

    private static StackExport ExportOf(string type, string key, string value) => StackExport.Read(new JsonObject
    {
        ["version"] = 3,
        ["deployment"] = new JsonObject
        {
            ["resources"] = new JsonArray
            {
                new JsonObject { ["urn"] = Urn + "pulumi:pulumi:Stack::psoxy-dev", ["type"] = StackGraph.StackType },
                new JsonObject { ["urn"] = Urn + type + "::r", ["type"] = type, ["custom"] = true, ["id"] = "r-id", ["inputs"] = new JsonObject { [key] = value, ["same"] = 1.0 } },
            },
        },
    }.ToJsonString(), "export", "psoxy", "dev");
}
