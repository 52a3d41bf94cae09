using System.Text;
using System.Text.RegularExpressions;
using Psoxy.Infra.Cli;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Configuration;

/// <summary>
/// The stack file corpus: files a new user writes by mistake (and a few valid but unusual ones), each planned end to
/// end as <c>plan --config-file</c> runs it. A mistake must exit 2 with a message that names the file and line or the
/// key, and never a stack trace; a valid file must plan.
/// </summary>
public sealed partial class StackFileCorpusTests
{
    private const string Tenant = "6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10";

    private const string Gcp = $"""
        config:
          psoxy:environment: dev
          psoxy:msftTenantId: {Tenant}
          psoxy:host: gcp
          psoxy:connectors:
            - outlook-cal
          psoxy:gcp:
            projectId: psoxy-dev-example
            deploymentBundle: gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip
          gcp:project: psoxy-dev-example

        """;

    private const string Aws = $"""
        config:
          psoxy:environment: prod
          psoxy:msftTenantId: {Tenant}
          psoxy:host: aws
          psoxy:connectors: [outlook-cal]
          psoxy:aws:
            accountId: "123456789012"
            region: us-east-1
            deploymentBundle: s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar
          aws:region: us-east-1

        """;

    /// <summary>
    /// One stack file: its bytes, the exit code expected, texts the output must contain (in stderr for failures) and
    /// texts it must not (secrets).
    /// </summary>
    private sealed record CorpusFile(string Name, byte[] Content, int Exit, string[] Expected)
    {
        public string[] Hidden { get; init; } = [];

        /// <summary>Instead of a file of <see cref="Content"/>: a directory, or nothing at all.</summary>
        public string? Kind { get; init; }

        public override string ToString() => Name;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static CorpusFile Bad(string name, string yaml, params string[] expected) => new(name, Utf8(yaml), ExitCodes.InvalidInput, expected);

    private static CorpusFile Good(string name, string yaml) => new(name, Utf8(yaml), ExitCodes.Success, []);

    private static string Replace(string yaml, string from, string to)
    {
        Assert.Contains(from, yaml, StringComparison.Ordinal);
        return yaml.Replace(from, to, StringComparison.Ordinal);
    }

    private static readonly CorpusFile[] Corpus =
    [
        // The file itself.
        Bad("empty file", "", "Pulumi.case.yaml is not a valid stack file", "is empty", "config:"),
        Bad("only comments", "# TODO: fill in\n# psoxy:host: gcp\n", "is empty"),
        Bad("only blank lines", "\n\n   \n", "is empty"),
        new CorpusFile("a directory instead of a file", [], ExitCodes.InvalidInput, ["Pulumi.case.yaml"]) { Kind = "directory" },
        new CorpusFile("a missing file", [], ExitCodes.InvalidInput, ["Pulumi.case.yaml"]) { Kind = "missing" },
        new CorpusFile("a huge file", Utf8("config:\n" + string.Concat(Enumerable.Repeat("# padding padding padding padding padding padding padding\n", 40_000))),
            ExitCodes.InvalidInput, ["Pulumi.case.yaml is not a valid stack file", "KiB"]),
        new CorpusFile("binary garbage", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0xFF, 0xD8, 0x00, 0x10, 0x3A, 0x0A],
            ExitCodes.InvalidInput, ["Pulumi.case.yaml is not a valid stack file", "not UTF-8 text"]),
        new CorpusFile("a zip file", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00], ExitCodes.InvalidInput, ["Pulumi.case.yaml", "NUL"]),
        new CorpusFile("Latin-1 text", Encoding.Latin1.GetBytes(Replace(Gcp, "psoxy:environment: dev", "psoxy:environment: dév")),
            ExitCodes.InvalidInput, ["Pulumi.case.yaml", "not UTF-8 text", "save it as UTF-8"]),
        new CorpusFile("UTF-16 without a byte order mark", Encoding.Unicode.GetBytes(Gcp), ExitCodes.InvalidInput, ["Pulumi.case.yaml", "UTF-16"]),
        Bad("control characters", "config:\n  psoxy:host: g\u0001cp\n  psoxy:environment: d\u007Fev\n", "Pulumi.case.yaml:2:16", "U+0001", "Pulumi.case.yaml:3:23", "U+007F"),

        // YAML syntax.
        Bad("unclosed double quote", Replace(Gcp, "psoxy:environment: dev", "psoxy:environment: \"dev"), "Pulumi.case.yaml:", "YAML syntax error"),
        Bad("unclosed flow list", Replace(Aws, "[outlook-cal]", "[outlook-cal"), "Pulumi.case.yaml:", "YAML syntax error"),
        Bad("tab indentation", Replace(Gcp, "  psoxy:host: gcp", "\tpsoxy:host: gcp"), "Pulumi.case.yaml:4:1", "YAML forbids tabs for indentation", "spaces"),
        Bad("tabs on several lines", Replace(Replace(Gcp, "    projectId:", "\t\tprojectId:"), "    deploymentBundle:", "\t\tdeploymentBundle:"),
            "Pulumi.case.yaml:8:1", "Pulumi.case.yaml:9:1", "YAML forbids tabs"),
        Bad("missing space after a colon", Replace(Gcp, "psoxy:host: gcp", "psoxy:host:gcp"), "Pulumi.case.yaml:4:3", "this line has no ': ' (a colon and a space) after its key"),
        Bad("over-indented key", Replace(Gcp, "  psoxy:host: gcp", "     psoxy:host: gcp"), "Pulumi.case.yaml:4:", "indentation"),
        Bad("under-indented list item", Replace(Gcp, "    - outlook-cal", "  - outlook-cal\n    msft-teams"), "Pulumi.case.yaml:"),
        Bad("list item without a dash", Replace(Gcp, "    - outlook-cal", "    - outlook-cal\n    msft-teams"), "Pulumi.case.yaml:7:", "YAML syntax error"),
        Bad("unquoted value holding ': '", Replace(Gcp, "psoxy:environment: dev", "psoxy:environment: dev: prod"), "Pulumi.case.yaml:2:", "quote a value"),
        Bad("value starting with @", Replace(Gcp, "    - outlook-cal", "    - outlook-cal\n  psoxy:msftOwners: @alice"), "Pulumi.case.yaml:7:", "must be quoted"),
        Bad("Windows path in double quotes", Replace(Gcp, "gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip", "\"C:\\psoxy\\bundle.zip\""),
            "Pulumi.case.yaml:9:", "single quotes"),
        Bad("alias without its anchor", Replace(Gcp, "gcp:project: psoxy-dev-example", "gcp:project: *project"), "Pulumi.case.yaml:10:", "*project"),
        Bad("aliases expanding without end",
            "config:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            + "  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n  f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
            "Pulumi.case.yaml", "anchors and aliases"),
        Bad("a merge key of text", Replace(Gcp, "    projectId: psoxy-dev-example", "    projectId: psoxy-dev-example\n    <<: psoxy-defaults"),
            "Pulumi.case.yaml:9:5", "a merge key (<<) takes a mapping"),
        Bad("two documents", Gcp + "---\nconfig:\n  psoxy:host: aws\n", "Pulumi.case.yaml:12:", "second YAML document"),

        // Duplicates.
        Bad("duplicate key", Replace(Gcp, "  psoxy:host: gcp", "  psoxy:host: gcp\n  psoxy:host: aws"), "Pulumi.case.yaml:5:3", "duplicate key 'psoxy:host' at line 5 (first at line 4)"),
        Bad("duplicate field", Replace(Gcp, "    projectId: psoxy-dev-example", "    projectId: psoxy-dev-example\n    projectId: psoxy-prod-example"),
            "Pulumi.case.yaml:9:5", "duplicate key 'projectId' at line 9 (first at line 8) in psoxy:gcp"),
        Bad("duplicate config section", Gcp + "config:\n  psoxy:host: aws\n", "Pulumi.case.yaml:11:1", "duplicate key 'config'"),
        Bad("the same key with and without namespace", Replace(Gcp, "  psoxy:host: gcp", "  psoxy:host: gcp\n  host: aws"), "Pulumi.case.yaml:5:3", "'host' sets psoxy:host again"),
        Bad("every key twice", Gcp + Gcp.Replace("config:\n", string.Empty, StringComparison.Ordinal),
            "duplicate key 'psoxy:environment' at line 11 (first at line 2)", "duplicate key 'gcp:project' at line 19 (first at line 10)"),

        // The layout of a stack file.
        Bad("top level is a list", "- psoxy:host: gcp\n- psoxy:environment: dev\n", "Pulumi.case.yaml:1:1", "top level is a list"),
        Bad("top level is text", "psoxy host gcp\n", "Pulumi.case.yaml:1:1", "top level is the text"),
        Bad("settings outside config", Gcp + "psoxy:grantAdminConsent: true\n", "Pulumi.case.yaml:11:1", "outside config:", "config:\n      psoxy:grantAdminConsent: true"),
        Bad("no config section", Gcp.Replace("config:\n", string.Empty, StringComparison.Ordinal).Replace("\n  ", "\n", StringComparison.Ordinal).TrimStart(),
            "Pulumi.case.yaml:1:1", "psoxy:environment is outside config:", "Pulumi.case.yaml:9:1", "gcp:project is outside config:"),
        Bad("keys not indented under config", "config:\n" + Gcp.Replace("config:\n", string.Empty, StringComparison.Ordinal).Replace("\n  ", "\n", StringComparison.Ordinal).TrimStart(),
            "Pulumi.case.yaml:2:1", "psoxy:environment is outside config:"),
        Bad("a secret outside config", Gcp + "psoxy:pseudonymSalt: hunter2hunter2\n", "Pulumi.case.yaml:11:1", "psoxy:pseudonymSalt: <value>") with { Hidden = ["hunter2hunter2"] },
        Bad("a bare key outside config", Gcp + "host: aws\n", "Pulumi.case.yaml:11:1", "host is outside config:", "psoxy:host: aws"),
        Bad("config misspelled as configs", Replace(Gcp, "config:", "configs:"), "Pulumi.case.yaml:1:1", "'configs' is not a key of a stack file (did you mean config:?)"),
        Bad("Config capitalized", Replace(Gcp, "config:", "Config:"), "Pulumi.case.yaml:1:1", "did you mean config:?"),
        Bad("an unknown top-level key", Gcp + "stack: dev\n", "Pulumi.case.yaml:11:1", "'stack' is not a key of a stack file", "encryptionsalt"),
        Bad("the environment name at the top level", Gcp + "environment: dev\n", "Pulumi.case.yaml:11:1", "Pulumi ESC", "psoxy:environment: dev"),
        Bad("config is a list", "config:\n  - psoxy:host: gcp\n  - psoxy:environment: dev\n", "Pulumi.case.yaml:2:3", "config: holds a list"),
        Bad("config is text", "config: psoxy:host=gcp\n", "Pulumi.case.yaml:1:9", "config: holds the text"),
        Bad("a list as a key", Replace(Gcp, "  psoxy:host: gcp", "  ? [psoxy:host]\n  : gcp"), "Pulumi.case.yaml:4:", "configuration keys are text"),

        // Namespaces and keys.
        Bad("another project's namespace", Replace(Gcp, "psoxy:environment:", "psoxy-infra:environment:"),
            "Pulumi.case.yaml:2:3", "'psoxy-infra:environment' is in the namespace 'psoxy-infra'", "Psoxy.Infra reads its settings from psoxy:<key>", "write psoxy:environment"),
        Bad("the namespace 'project'", Replace(Gcp, "psoxy:host:", "project:host:"), "Pulumi.case.yaml:4:3", "write psoxy:host"),
        Bad("a made-up namespace", Replace(Gcp, "psoxy:connectors:", "myproj:connectors:"), "Pulumi.case.yaml:5:3", "write psoxy:connectors"),
        Bad("the namespace capitalized", Replace(Gcp, "psoxy:host:", "Psoxy:host:"), "Pulumi.case.yaml:4:3", "write psoxy:host"),
        Bad("a flat dotted key", Replace(Gcp, "gcp:project: psoxy-dev-example", "psoxy:gcp.region: us-east1"),
            "Pulumi.case.yaml:10:3", "pulumi config set --path 'psoxy:gcp.region' <value>", "psoxy:gcp:\n        region: <value>"),
        Bad("flat dotted keys for a whole object", Aws.Replace("  psoxy:aws:\n    ", "  psoxy:aws.", StringComparison.Ordinal).Replace("\n    ", "\n  psoxy:aws.", StringComparison.Ordinal),
            "pulumi config set --path 'psoxy:aws.accountId'", "pulumi config set --path 'psoxy:aws.region'", "pulumi config set --path 'psoxy:aws.deploymentBundle'"),
        Bad("a list index in a key", Replace(Gcp, "  psoxy:host: gcp", "  psoxy:host: gcp\n  psoxy:msftOwners[0]: it-admin@contoso.example"),
            "Pulumi.case.yaml:5:3", "pulumi config set --path 'psoxy:msftOwners[0]'"),
        Bad("a key with two colons", Replace(Gcp, "gcp:project: psoxy-dev-example", "psoxy:gcp:region: us-east1"),
            "Pulumi.case.yaml:10:3", "has 2 colons", "pulumi config set --path 'psoxy:gcp.region' <value>"),
        Bad("a key with an empty name", Replace(Gcp, "gcp:project: psoxy-dev-example", "'psoxy:': x"), "Pulumi.case.yaml:10:3", "namespace:name"),
        Bad("a misspelled key", Replace(Gcp, "psoxy:connectors:", "psoxy:conectors:"), "psoxy:conectors", "did you mean psoxy:connectors?"),

        // Numbers where ids are text.
        Bad("account id with a leading zero", Replace(Aws, "accountId: \"123456789012\"", "accountId: 012345678901"),
            "Pulumi.case.yaml:7:16", "psoxy:aws.accountId = 012345678901 is an unquoted number", "drops the leading zero", "\"012345678901\""),
        Bad("account id unquoted", Replace(Aws, "accountId: \"123456789012\"", "accountId: 123456789012"), "Pulumi.case.yaml:7:16", "psoxy:aws.accountId", "quote it: \"123456789012\""),
        Bad("GCP unique ids unquoted", Replace(Aws, "    region: us-east-1", "    region: us-east-1\n    callerGcpServiceAccountIds: [123456789012345678901, 112233445566778899001]"),
            "Pulumi.case.yaml:9:34", "psoxy:aws.callerGcpServiceAccountIds[0]", "Pulumi.case.yaml:9:57", "psoxy:aws.callerGcpServiceAccountIds[1]"),
        Bad("a numeric secret unquoted", Replace(Gcp, "  psoxy:host: gcp", "  psoxy:host: gcp\n  psoxy:pseudonymSalt: 0987654321987654"),
            "Pulumi.case.yaml:5:24", "psoxy:pseudonymSalt is an unquoted number") with { Hidden = ["0987654321987654"] },

        // Values: the reader's checks, reached end to end.
        Bad("connectors as one id", Replace(Gcp, "psoxy:connectors:\n    - outlook-cal", "psoxy:connectors: outlook-cal"), "psoxy:connectors = 'outlook-cal'", "list"),
        Bad("connectors as a comma string", Replace(Gcp, "psoxy:connectors:\n    - outlook-cal", "psoxy:connectors: outlook-cal, outlook-mail"), "psoxy:connectors = 'outlook-cal, outlook-mail'"),
        Bad("host uppercase", Replace(Gcp, "psoxy:host: gcp", "psoxy:host: GCP"), "psoxy:host = 'GCP'", "'gcp'"),
        Bad("quoted value with a trailing space", Replace(Gcp, "psoxy:host: gcp", "psoxy:host: \"gcp \""), "psoxy:host = 'gcp '"),
        Bad("empty value", Replace(Gcp, "psoxy:environment: dev", "psoxy:environment:"), "psoxy:environment = ''"),
        Bad("object fields not indented under it", Replace(Replace(Gcp, "    projectId:", "  projectId:"), "    deploymentBundle:", "  deploymentBundle:"),
            "Pulumi.case.yaml:8:3", "psoxy:gcp (line 7) has no value, and 'projectId' below it is at the same indentation"),
        Bad("Windows path unquoted", Replace(Gcp, "gs://psoxy-public-artifacts/psoxy-gcp-0.6.9.zip", "C:\\psoxy\\bundle.zip"), "psoxy:gcp.deploymentBundle"),
        Bad("project id ending in a hyphen", Replace(Gcp, "projectId: psoxy-dev-example", "projectId: psoxy-dev-"), "psoxy:gcp.projectId = 'psoxy-dev-'", "not ending with a hyphen"),
        Bad("grantAdminConsent yes", Replace(Gcp, "psoxy:host: gcp", "psoxy:host: gcp\n  psoxy:grantAdminConsent: yes"), "psoxy:grantAdminConsent = 'yes'"),
        Bad("a short plaintext secret", Replace(Gcp, "psoxy:host: gcp", "psoxy:host: gcp\n  psoxy:encryptionKey: s3cr3t!"), "psoxy:encryptionKey") with { Hidden = ["s3cr3t!"] },
        Bad("a malformed secure value", Replace(Gcp, "psoxy:host: gcp", "psoxy:host: gcp\n  psoxy:pseudonymSalt:\n    secure: v1:AAAABBBBCCCC\n    extra: x"),
            "Pulumi.case.yaml:6:5", "a secure value is a mapping with the single key secure:") with { Hidden = ["AAAABBBBCCCC"] },
        Bad("a syntax error on a secret line", Replace(Gcp, "psoxy:host: gcp", "psoxy:host: gcp\n  psoxy:pseudonymSalt: \"topsecret-value"),
            "Pulumi.case.yaml:", "[secret value not shown]") with { Hidden = ["topsecret-value"] },

        // Values AWS or GCP would refuse at `pulumi up`.
        Bad("an AWS region that does not exist", Replace(Aws, "aws:region: us-east-1", "aws:region: us-nort-1"),
            "aws:region = 'us-nort-1': not a known region", "nearest known: "),
        Bad("a GCP region that does not exist", Replace(Gcp, "    projectId: psoxy-dev-example", "    projectId: psoxy-dev-example\n    region: mars-central1"),
            "psoxy:gcp.region = 'mars-central1': not a known region", "nearest known: me-central1"),
        Bad("GCP memory beyond Cloud Functions", Replace(Gcp, "    projectId: psoxy-dev-example", "    projectId: psoxy-dev-example\n    memory: 64Gi"),
            "psoxy:gcp.memory = '64Gi'", "from 128M to 32Gi"),
        Bad("a memory size beyond any integer", Replace(Aws, "    region: us-east-1\n", "    region: us-east-1\n    memorySize: 99999999999999999999\n"),
            "psoxy:aws.memorySize = '99999999999999999999': allowed: a whole number from 128 to 10240 MB"),
        Bad("a Lambda timeout beyond 15 minutes", Replace(Aws, "    region: us-east-1\n", "    region: us-east-1\n    timeoutSeconds: 3600\n"),
            "psoxy:aws.timeoutSeconds = '3600': allowed: a whole number from 1 to 900 seconds"),

        // Pulumi ESC imports (environment:) that are not a list of environment names.
        Bad("ESC imports as a mapping without imports:", "environment:\n  env: psoxy/prod-secrets\n" + Gcp, "Pulumi.case.yaml:2:3", "environment: holds a mapping", "psoxy/prod-secrets"),
        Bad("an ESC import that is a list", "environment:\n  - [psoxy/prod-secrets]\n" + Gcp, "Pulumi.case.yaml:2:5", "an item of environment: is a list, not an environment name"),
        Bad("ESC imports: holding text", "environment:\n  imports: psoxy/prod-secrets\n" + Gcp, "Pulumi.case.yaml:2:3", "environment: holds a mapping"),

        // Valid, if unusual: these plan.
        Good("ESC imports as a list (planned with a warning)", "environment:\n  - psoxy/prod-secrets\n" + Gcp),
        Good("ESC imports under imports: (planned with a warning)", "environment:\n  imports:\n    - psoxy/common\n    - psoxy/prod-secrets: { merge: true }\n" + Aws),
        Good("an AWS region shaped like a new one (planned with a warning)", Aws.Replace("us-east-1", "us-north-9", StringComparison.Ordinal)),
        Good("CRLF line endings", Gcp.Replace("\n", "\r\n", StringComparison.Ordinal)),
        new CorpusFile("a UTF-8 byte order mark", [.. Encoding.UTF8.GetPreamble(), .. Utf8(Gcp)], ExitCodes.Success, []),
        new CorpusFile("a byte order mark and CRLF", [.. Encoding.UTF8.GetPreamble(), .. Utf8(Aws.Replace("\n", "\r\n", StringComparison.Ordinal))], ExitCodes.Success, []),
        Good("comments everywhere", "# Stack for dev\n" + Gcp.Replace("\n", "  # note\n", StringComparison.Ordinal).Replace("config:  # note", "config: # settings", StringComparison.Ordinal)),
        Good("quoted keys and values", Replace(Replace(Gcp, "psoxy:host: gcp", "\"psoxy:host\": 'gcp'"), "psoxy:environment: dev", "'psoxy:environment': \"dev\"")),
        Good("keys without the namespace", Replace(Replace(Gcp, "psoxy:host: gcp", "host: gcp"), "psoxy:environment: dev", "environment: dev")),
        Good("anchors and aliases", Replace(Replace(Gcp, "projectId: psoxy-dev-example", "projectId: &project psoxy-dev-example"), "gcp:project: psoxy-dev-example", "gcp:project: *project")),
        Good("a merge key", Replace(Gcp, "    projectId: psoxy-dev-example", "    <<: &defaults { projectId: psoxy-dev-example, region: us-central1 }")),
        Good("document markers", "---\n" + Gcp + "...\n"),
        Good("trailing spaces after values", Gcp.Replace("\n", "   \n", StringComparison.Ordinal)),
        Good("a secure secret", Replace(Gcp, "psoxy:host: gcp", "psoxy:host: gcp\n  psoxy:pseudonymSalt:\n    secure: v1:c2VjcmV0Y2lwaGVydGV4dA==")) with { Hidden = ["c2VjcmV0Y2lwaGVydGV4dA"] },
        Good("stack file keys Pulumi writes", "secretsprovider: passphrase\nencryptionsalt: v1:abc:def\n" + Gcp),
        Good("a long but ordinary file", string.Concat(Enumerable.Repeat("# a comment line explaining the settings below\n", 5000)) + Aws),
        Good("numbers that are not ids", Replace(Aws, "    region: us-east-1\n", "    region: us-east-1\n    logRetentionDays: 30\n")),
        // psoxy:customRules as a stack file holds it (and `migrate` writes it): paths relative to the project directory.
        Good("custom rules of a connector", Replace(Aws, "  aws:region: us-east-1\n", "  psoxy:customRules:\n    outlook-cal: Psoxy.Infra.Tests/Configuration/CustomRules/outlook-mail.yaml\n  aws:region: us-east-1\n")),
        Bad("custom rules that are not YAML", Replace(Gcp, "  gcp:project: psoxy-dev-example\n", "  psoxy:customRules:\n    outlook-cal: Psoxy.Infra.Tests/Configuration/CustomRules/not-yaml.yaml\n  gcp:project: psoxy-dev-example\n"),
            "psoxy:customRules = 'outlook-cal: Psoxy.Infra.Tests/Configuration/CustomRules/not-yaml.yaml': not valid YAML at line 6, column 7"),
        Bad("custom rules of a connector not enabled", Replace(Aws, "  aws:region: us-east-1\n", "  psoxy:customRules:\n    outlook-mail: Psoxy.Infra.Tests/Configuration/CustomRules/outlook-mail.yaml\n  aws:region: us-east-1\n"),
            "psoxy:customRules = 'outlook-mail': this connector is not in psoxy:connectors; allowed keys: the enabled connectors (outlook-cal)"),
        Bad("a huge memorySize", Replace(Aws, "    region: us-east-1\n", "    region: us-east-1\n    memorySize: 99999999999999999999\n"),
            "psoxy:aws.memorySize = '99999999999999999999': allowed: a whole number from 128 to 10240 MB"),
    ];

    public static TheoryData<string> Cases => [.. Corpus.Select(c => c.Name)];

    [GeneratedRegex(@"^\s+at ", RegexOptions.Multiline)]
    private static partial Regex StackTraceLine();

    [Fact]
    public void TheCorpusHasAtLeast45Mistakes() =>
        Assert.True(Corpus.Count(c => c.Exit != ExitCodes.Success) >= 45, $"{Corpus.Count(c => c.Exit != ExitCodes.Success)} mistaken files");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EachStackFile_PlansOrIsReportedWithoutAStackTrace(string name)
    {
        var stackFile = Corpus.Single(c => c.Name == name);
        var directory = Path.Combine(Path.GetTempPath(), "psoxy-stackfile-corpus", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "Pulumi.case.yaml");
        switch (stackFile.Kind)
        {
            case "directory":
                Directory.CreateDirectory(path);
                break;
            case "missing":
                break;
            default:
                await File.WriteAllBytesAsync(path, stackFile.Content);
                break;
        }

        try
        {
            var (exit, stdout, stderr) = await CommandRun.RunAsync("plan", "--config-file", path);

            var all = stdout + stderr;
            Assert.True(exit == stackFile.Exit, $"exit {exit}, expected {stackFile.Exit}:\n{stderr}");
            Assert.DoesNotMatch(StackTraceLine(), all);
            Assert.DoesNotContain("Exception", all, StringComparison.Ordinal);
            foreach (var hidden in stackFile.Hidden)
            {
                Assert.DoesNotContain(hidden, all, StringComparison.Ordinal);
            }

            if (exit == ExitCodes.Success)
            {
                Assert.StartsWith("Plan for stack 'case'", stdout, StringComparison.Ordinal);
                return;
            }

            Assert.Empty(stdout);
            Assert.StartsWith(stderr.StartsWith("plan: ", StringComparison.Ordinal) ? "plan: " : "Pulumi.case.yaml: ", stderr, StringComparison.Ordinal);
            foreach (var expected in stackFile.Expected)
            {
                Assert.Contains(expected.Replace("\n", Environment.NewLine, StringComparison.Ordinal), stderr, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("directory", "is a directory, not a file")]
    [InlineData("missing", "does not exist")]
    public void Load_ReportsAPathThatIsNoFile(string kind, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"Pulumi.{kind}-{Guid.NewGuid():N}.yaml");
        if (kind == "directory")
        {
            Directory.CreateDirectory(path);
        }

        try
        {
            var e = Assert.Throws<StackFileException>(() => StackFile.Load(path, "psoxy"));
            var problem = Assert.Single(e.Problems);
            Assert.Equal(path, problem.File);
            Assert.Null(problem.Line);
            Assert.Contains($"{path}: {expected}", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (kind == "directory")
            {
                Directory.Delete(path);
            }
        }
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e999")]
    public void Load_KeepsNumbersWithoutAJsonFormAsText(string value)
    {
        var path = Path.Combine(Path.GetTempPath(), $"Pulumi.numbers-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"config:\n  psoxy:aws:\n    region: {value}\n");
        try
        {
            Assert.Equal($"{{\"region\":\"{value}\"}}", StackFile.Load(path, "psoxy").Values["psoxy:aws"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Mutations of valid stack files (a character deleted, doubled or replaced by one YAML gives meaning to, a line
    /// dropped or swapped): loading and validating each either succeeds or fails with the stack file's or the
    /// configuration's own error, never anything else.
    /// </summary>
    [Fact]
    public void MutatedStackFiles_FailOnlyWithTheirOwnErrors()
    {
        const string Specials = ":-#'\"[]{},&*!|>%@`\t \n\\?~0";
        var random = new Random(13);
        var path = Path.Combine(Path.GetTempPath(), $"Pulumi.fuzz-{Guid.NewGuid():N}.yaml");
        var sources = new[] { Gcp, Aws, "environment:\n  imports:\n    - psoxy/prod-secrets\n" + Aws }.Concat(Repository.StackFiles.Select(f => File.ReadAllText(Path.Combine(Repository.Root, f)))).ToList();
        try
        {
            for (var i = 0; i < 1500; i++)
            {
                var text = sources[random.Next(sources.Count)];
                for (var m = random.Next(1, 4); m > 0; m--)
                {
                    text = Mutate(text, random, Specials);
                }

                File.WriteAllText(path, text);
                try
                {
                    var file = StackFile.Load(path, "psoxy");
                    _ = file.ReadSettings();
                }
                catch (Exception e) when (e is StackFileException or Psoxy.Infra.Configuration.InvalidConfigurationException)
                {
                }
                catch (Exception e)
                {
                    Assert.Fail($"{e.GetType().Name}: {e.Message} on:\n{text}");
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Mutate(string text, Random random, string specials)
    {
        if (text.Length == 0)
        {
            return specials[random.Next(specials.Length)].ToString();
        }

        var at = random.Next(text.Length);
        var lines = text.Split('\n').ToList();
        switch (random.Next(5))
        {
            case 0:
                return text.Remove(at, 1);
            case 1:
                return text.Insert(at, text[at].ToString());
            case 2:
                return text.Remove(at, 1).Insert(at, specials[random.Next(specials.Length)].ToString());
            case 3:
                lines.RemoveAt(random.Next(lines.Count));
                return string.Join('\n', lines);
            default:
                var a = random.Next(lines.Count);
                var b = random.Next(lines.Count);
                (lines[a], lines[b]) = (lines[b], lines[a]);
                return string.Join('\n', lines);
        }
    }

    [Fact]
    public void Load_ListsEveryProblemWithItsLineColumnKeyAndTheLineQuoted()
    {
        var path = Path.Combine(Path.GetTempPath(), $"Pulumi.problems-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "config:\n  psoxy:host: gcp\n  psoxy:host: aws\n  psoxy-infra:environment: dev\npsoxy:connectors: [outlook-cal]\n");
        try
        {
            var e = Assert.Throws<StackFileException>(() => StackFile.Load(path, "psoxy"));

            Assert.Equal(path, e.File);
            Assert.Equal(["3:3 psoxy:host", "4:3 psoxy-infra:environment", "5:1 psoxy:connectors"], e.Problems.Select(p => $"{p.Line}:{p.Column} {p.Key}"));
            Assert.All(e.Problems, p => Assert.Equal(path, p.File));
            Assert.Contains($"{path} is not a valid stack file (3 problems); nothing was planned:", e.Message, StringComparison.Ordinal);
            Assert.Contains($"  - {path}:3:3: duplicate key 'psoxy:host' at line 3 (first at line 2)", e.Message, StringComparison.Ordinal);
            Assert.Contains(string.Join(Environment.NewLine, "      3 |   psoxy:host: aws", "        |   ^"), e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
