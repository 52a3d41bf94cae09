using System.Text.Json.Nodes;
using Psoxy.Infra.Cli;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Planning;

/// <summary>The plan as a reviewer reads it: whole values, known parts of partly known ones, no internal placeholders.</summary>
public sealed class PlanPresentationTests
{
    private static Task<(int Exit, string Stdout, string Stderr)> RunAsync(bool color, params string[] args) => CommandRun.RunAsync(color, ["plan", .. args]);

    private static string Section(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' not in the plan");
        return text[from..text.IndexOf(end, from + start.Length, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task AMapWithOneUnknownMember_ShowsTheKnownMembers_AndMarksOnlyThatOne()
    {
        var (exit, stdout, _) = await RunAsync(false);

        Assert.Equal(ExitCodes.Success, exit);
        var function = Section(stdout, "+ gcp:cloudfunctionsv2/function:Function  outlook-cal-function", "+ gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding  outlook-cal-invokers");
        Assert.Contains("\"SOURCE\": \"outlook-cal\"", function, StringComparison.Ordinal);
        Assert.Contains("\"REFRESH_ENDPOINT\": \"https://login.microsoftonline.com/6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10/oauth2/v2.0/token\"", function, StringComparison.Ordinal);
        Assert.Contains("\"CLIENT_ID\": (known after deploy)", function, StringComparison.Ordinal);
        // Items of a list that holds an unknown are shown with their known fields too.
        Assert.Contains("\"secret\": \"PSOXY_DEV_PSOXY_SALT\"", function, StringComparison.Ordinal);
        Assert.Contains("\"version\": (known after deploy)", function, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLambdaEnvironment_ShowsEveryKnownVariable_AndMarksTheCloudsOnes()
    {
        var (exit, stdout, _) = await RunAsync(false, "--stack", "prod-aws");

        Assert.Equal(ExitCodes.Success, exit);
        var function = Section(stdout, "+ aws:lambda/function:Function  outlook-cal-function", "+ aws:lambda/functionUrl:FunctionUrl  outlook-cal-function-url");
        Assert.Contains("\"SOURCE\": \"outlook-cal\"", function, StringComparison.Ordinal);
        Assert.Contains("\"PATH_TO_INSTANCE_CONFIG\": \"/psoxy/prod/OUTLOOK_CAL_\"", function, StringComparison.Ordinal);
        Assert.Contains("\"DEVELOPER_NAME_ID\": \"prod-azure-access\"", function, StringComparison.Ordinal);
        foreach (var computed in new[] { "CLIENT_ID", "IDENTITY_ID", "IDENTITY_POOL_ID" })
        {
            Assert.Contains($"\"{computed}\": (known after deploy)", function, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task IamPolicies_ArePrettyPrintedWhole_WithOnlyTheUnknownArnMarked()
    {
        var (exit, stdout, _) = await RunAsync(false, "--stack", "prod-aws");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.DoesNotContain("…", stdout, StringComparison.Ordinal);
        var policy = Section(stdout, "+ aws:iam/rolePolicy:RolePolicy  outlook-cal-resource-access", "+ aws:iam/rolePolicyAttachment");
        Assert.Contains("\"Sid\": \"ReadSharedSSMParameters\",", policy, StringComparison.Ordinal);
        Assert.Contains("\"Resource\": [\"arn:aws:ssm:us-east-1:123456789012:parameter/psoxy/prod/OUTLOOK_CAL_*\"]", policy, StringComparison.Ordinal);
        Assert.Contains("\"Action\": [\"cognito-identity:GetOpenIdTokenForDeveloperIdentity\"],", policy, StringComparison.Ordinal);
        Assert.Contains("(known after deploy)", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compact_ShortensLongValuesToOneLine()
    {
        var (exit, stdout, _) = await RunAsync(false, "--stack", "prod-aws", "--compact");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("…", stdout, StringComparison.Ordinal);
        var policy = Section(stdout, "+ aws:iam/rolePolicy:RolePolicy  outlook-cal-resource-access", "+ aws:iam/rolePolicyAttachment");
        Assert.Equal(4, policy.Trim().Split('\n').Length);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("markdown")]
    [InlineData("json")]
    [InlineData("mermaid")]
    public async Task NoFormat_ShowsAnInternalPlaceholder(string format)
    {
        foreach (var stack in new[] { "dev", "prod-aws", "legacy-cert" })
        {
            var (exit, stdout, stderr) = await RunAsync(false, "--stack", stack, "--format", format);

            Assert.True(exit == ExitCodes.Success, stderr);
            Assert.DoesNotContain(PlanValue.UnknownToken, stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("\u27E6", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("\\u0001", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("04da6b54-80e4-46f7-96ec-b56ff0331ba9", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', stdout);
        }
    }

    [Fact]
    public async Task Colour_OnlyWhenAsked_AndNeverInJson()
    {
        var (_, colored, _) = await RunAsync(true);
        var (_, json, _) = await RunAsync(true, "--format", "json");

        Assert.Contains("\u001b[32m+\u001b[0m", colored, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', json);
        Assert.True(CommandOutput.UseColor(isTerminal: true, noColor: null));
        Assert.False(CommandOutput.UseColor(isTerminal: true, noColor: "1"));
        Assert.False(CommandOutput.UseColor(isTerminal: false, noColor: null));
        Assert.False(CommandOutput.UseColor(isTerminal: true, noColor: null, term: "dumb"));
        Assert.True(CommandOutput.UseColor(isTerminal: true, noColor: null, term: "xterm-256color"));
    }

    [Fact]
    public async Task Json_FollowsPulumiPreview_WithMarkersNoValueCanCollideWith()
    {
        var (exit, stdout, _) = await RunAsync(false, "--stack", "prod-aws", "--format", "json");

        Assert.Equal(ExitCodes.Success, exit);
        var plan = JsonNode.Parse(stdout)!;
        var steps = plan["steps"]!.AsArray();
        var function = steps.Single(s => s!["urn"]!.GetValue<string>().EndsWith("::outlook-cal-function", StringComparison.Ordinal))!;
        Assert.Equal("create", function["op"]!.GetValue<string>());
        Assert.Equal("aws:lambda/function:Function", function["type"]!.GetValue<string>());
        var inputs = function["newState"]!["inputs"]!;
        Assert.Equal("prod-outlook-cal", inputs["name"]!.GetValue<string>());
        // Unknown and secret values are Pulumi's special-value objects, never strings.
        Assert.True(PlanValue.IsUnknown(inputs["role"]));
        Assert.Equal(PlanValue.UnknownSignature, inputs["role"]![PlanValue.SignatureKey]!.GetValue<string>());
        var salt = steps.Single(s => s!["urn"]!.GetValue<string>().EndsWith("::aws-pseudonym-salt", StringComparison.Ordinal))!;
        Assert.True(PlanValue.IsSecret(salt["newState"]!["inputs"]!["value"]));
        // The words people read are for people: no input in the steps is the text of a marker.
        Assert.DoesNotContain(Strings(plan["steps"]), text => text == PlanValue.UnknownText || text == PlanValue.SecretText);
        var diagnostics = plan["diagnostics"]!.AsArray();
        Assert.Contains(diagnostics, d => d!["severity"]!.GetValue<string>() == "warning" && d["message"]!.GetValue<string>().Contains("msft-copilot", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d!["severity"]!.GetValue<string>() == "info" && d["message"]!.GetValue<string>().Contains("psoxy:aws.accountId", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("text", "warning: psoxy:gcp lists no worklyticsServiceAccountEmails")]
    [InlineData("markdown", "> **Warning:** psoxy:gcp lists no worklyticsServiceAccountEmails")]
    [InlineData("json", "\"message\": \"psoxy:gcp lists no worklyticsServiceAccountEmails")]
    public async Task WarningsTheProgramLogs_AppearInEveryFormat(string format, string expected)
    {
        var file = Path.Combine(Path.GetTempPath(), $"Pulumi.nobody-{Guid.NewGuid():N}.yaml");
        var dev = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "Pulumi.dev.yaml"));
        await File.WriteAllTextAsync(file, string.Join('\n', dev.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Where(l => !l.Contains("worklyticsServiceAccountEmails", StringComparison.Ordinal) && !l.Contains("testPrincipals", StringComparison.Ordinal)
                && !l.Contains("acme-tenant@", StringComparison.Ordinal) && !l.Contains("- user:", StringComparison.Ordinal))));
        try
        {
            var (exit, stdout, stderr) = await RunAsync(false, "--config-file", file, "--format", format);

            Assert.True(exit == ExitCodes.Success, stderr);
            Assert.Contains(expected, stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(kv => Strings(kv.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var text) => [text],
        _ => [],
    };

    [Theory]
    [InlineData("text")]
    [InlineData("markdown")]
    public async Task GraphPermissionGuids_AreFollowedByTheirNames(string format)
    {
        var (exit, stdout, _) = await RunAsync(false, "--format", format);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("\"df021288-bdef-4463-88db-98f22de89214\" (User.Read.All)", stdout, StringComparison.Ordinal);
        Assert.Contains("\"798ee544-9d2d-430c-a058-570e29e34338\" (Calendars.Read)", stdout, StringComparison.Ordinal);
        Assert.Contains("\"00000003-0000-0000-c000-000000000000\" (Microsoft Graph)", stdout, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> StackFilesAndFormats()
    {
        var data = new TheoryData<string, string>();
        foreach (var stackFile in Repository.StackFiles)
        {
            foreach (var format in new[] { "text", "markdown", "json" })
            {
                data.Add(stackFile, format);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StackFilesAndFormats))]
    public async Task NoUrlHoldsAPartNotKnownYet(string stackFile, string format)
    {
        var (exit, stdout, _) = await RunAsync(false, "-c", stackFile, "--format", format);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.DoesNotMatch(@"https?://[^\s""`|)]*(known after deploy|\u27E8)", stdout);
        if (format != "json")
        {
            Assert.Contains("- Admin consent link: (known after deploy) (the URL holds the application's client id)", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TypeTokens_AreSpelledAlikeInEveryFormat()
    {
        var (_, json, _) = await RunAsync(false, "--format", "json");
        var (_, mermaid, _) = await RunAsync(false, "--format", "mermaid");
        var (_, text, _) = await RunAsync(false);

        var types = JsonNode.Parse(json)!["steps"]!.AsArray().Select(s => s!["type"]!.GetValue<string>()).Where(t => t != "pulumi:pulumi:Stack").ToHashSet();
        var drawn = System.Text.RegularExpressions.Regex.Matches(mermaid, "\\[\"([^<]+)<br/>").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(types.Order(), drawn.Order());
        Assert.All(types, t => Assert.Contains($"+ {t}  ", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoInstructions_KeepsThePlanToResourcesAndOutputs_WhileOutStillWritesTheInstructions()
    {
        var directory = Directory.CreateTempSubdirectory("psoxy-plan-").FullName;
        try
        {
            var (exit, stdout, _) = await RunAsync(false, "--no-instructions", "--out", directory);
            var (_, markdown, _) = await RunAsync(false, "--no-instructions", "--format", "markdown");
            var (_, whole, _) = await RunAsync(false);

            Assert.Equal(ExitCodes.Success, exit);
            Assert.Contains("+ gcp:cloudfunctionsv2/function:Function  outlook-cal-function", stdout, StringComparison.Ordinal);
            Assert.Contains("Summary:", stdout, StringComparison.Ordinal);
            foreach (var plan in new[] { stdout, markdown })
            {
                Assert.DoesNotContain("Admin consent link", plan, StringComparison.Ordinal);
                Assert.DoesNotContain("Psoxy Base URL", plan, StringComparison.Ordinal);
            }

            Assert.Contains("adminInstructions: (Markdown: left out by --no-instructions; --out writes it to a file)", stdout, StringComparison.Ordinal);
            Assert.True(stdout.Length < whole.Length);
            Assert.Contains("Admin consent link", await File.ReadAllTextAsync(Path.Combine(directory, "admin-instructions.md")), StringComparison.Ordinal);
            Assert.Contains("Psoxy Base URL", await File.ReadAllTextAsync(Path.Combine(directory, "worklytics-instructions.md")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
