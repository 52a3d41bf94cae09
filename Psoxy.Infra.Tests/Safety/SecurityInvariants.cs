using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Safety;

/// <summary>
/// The security properties every stack must have, whatever its configuration. Each check returns violations as
/// readable lines (empty when the property holds). The allowlists are kept here, apart from the program's own
/// tables, so a mistake in the program cannot also weaken the check.
/// </summary>
internal static partial class SecurityInvariants
{
    /// <summary>Read-only Microsoft Graph application permissions a Psoxy connector may request, by id.</summary>
    public static readonly ImmutableDictionary<string, string> ReadOnlyGraphRoles = new Dictionary<string, string>
    {
        ["df021288-bdef-4463-88db-98f22de89214"] = "User.Read.All",
        ["5b567255-7703-4780-807c-7be8301ae99b"] = "Group.Read.All",
        ["40f97065-369a-49f4-947c-6a255697ae91"] = "MailboxSettings.Read",
        ["798ee544-9d2d-430c-a058-570e29e34338"] = "Calendars.Read",
        ["693c5e45-0940-467d-9b8a-1022fb9d42ef"] = "Mail.ReadBasic.All",
        ["01d4889c-1287-42c6-ac1f-5d1e02578ef6"] = "Files.Read.All",
        ["2280dda6-0bfd-44ee-a2f4-cb867cfc4c1e"] = "Team.ReadBasic.All",
        ["59a6b24b-4225-4393-8165-ebaec5f55d7a"] = "Channel.ReadBasic.All",
        ["6b7d71aa-70aa-4810-a8d9-5d9fb2830017"] = "Chat.Read.All",
        ["7b2449af-6ccd-4f4d-9f78-e550c193f0d1"] = "ChannelMessage.Read.All",
        ["45bbb07e-7321-4fd7-a8f6-3ff27e6a81c8"] = "CallRecords.Read.All",
        ["c1684f21-1984-47fa-9d61-2dc8c296bb70"] = "OnlineMeetings.Read.All",
        ["df01ed3b-eb61-4eca-9965-6b3d789751b2"] = "OnlineMeetingArtifact.Read.All",
        ["839c90ab-5771-41ee-aef8-a562e8487c1e"] = "AiEnterpriseInteraction.Read.All",
    }.ToImmutableDictionary();

    public const string GraphAppId = "00000003-0000-0000-c000-000000000000";

    /// <summary>Resource types that are credentials: a stack must never declare one.</summary>
    public static readonly ImmutableArray<string> CredentialTypes =
    [
        "azuread:index/applicationPassword:ApplicationPassword",
        "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
        "aws:iam/accessKey:AccessKey",
        "aws:iam/userLoginProfile:UserLoginProfile",
        "gcp:serviceaccount/key:Key",
    ];

    private const string Application = "azuread:index/application:Application";
    private const string FederatedCredential = "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential";
    private const string AppRoleAssignment = "azuread:index/appRoleAssignment:AppRoleAssignment";
    private const string IdentityPool = "aws:cognito/identityPool:IdentityPool";
    private const string LambdaFunction = "aws:lambda/function:Function";
    private const string CognitoIssuer = "https://cognito-identity.amazonaws.com";

    [GeneratedRegex("^[0-9]{21}$")]
    private static partial Regex GoogleUniqueId();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex CognitoId();

    /// <summary>Every invariant, by name.</summary>
    public static IReadOnlyList<(string Name, Func<ObservedStack, IEnumerable<string>> Check)> All { get; } =
    [
        ("read-only Graph application permissions, exactly the connectors'", GraphPermissions),
        ("no client secrets or passwords", NoCredentials),
        ("federated credentials exact", FederatedCredentials),
        ("each function can obtain only its own identity", OwnIdentityOnly),
        ("IAM statements name exact actions and resources", IamStatements),
        ("invocation requires IAM", InvocationRequiresIam),
        ("no public GCP bindings", NoPublicGcpBindings),
        ("secrets stay secret", SecretsStaySecret),
        ("Entra applications protected", ApplicationsProtected),
        ("each connector's rules are its own, readable by its identity only", OwnRulesOnly),
        (ActAsInvariant, DeployerActsAsOwnAccountsOnly),
    ];

    public const string ActAsInvariant = "only the deployer may act as a service account, and only as the stack's own";

    // The roles that let their holder act as, or mint tokens of, a service account.
    private static readonly string[] ActAsRoles = ["roles/iam.serviceAccountUser", "roles/iam.serviceAccountTokenCreator", "roles/iam.workloadIdentityUser"];

    /// <summary>
    /// Acting as a service account is acting as its connector's Entra application: only the deployer (the GCP
    /// provider's principal) gets it, on each account the stack creates, never project-wide nor on another account.
    /// </summary>
    public static IEnumerable<string> DeployerActsAsOwnAccountsOnly(ObservedStack stack)
    {
        // By project and account id (projects/<project>/serviceAccounts/<account id>@...): the email's domain is the cloud's.
        static string? Key(string? serviceAccountId) =>
            serviceAccountId?.Split('@')[0] is { } head && serviceAccountId.EndsWith(".iam.gserviceaccount.com", StringComparison.Ordinal) ? head : null;
        var own = stack.Resources.Where(r => r.Type == "gcp:serviceaccount/account:Account")
            .Select(a => $"projects/{Text(a.Inputs.GetValueOrDefault("project"))}/serviceAccounts/{Text(a.Inputs.GetValueOrDefault("accountId"))}")
            .ToHashSet(StringComparer.Ordinal);
        const string Deployer = "serviceAccount:" + FakeCloud.DefaultGcpDeployerEmail;
        foreach (var grant in stack.Resources.Where(r => r.Type.StartsWith("gcp:", StringComparison.Ordinal) && ActAsRoles.Contains(Text(r.Inputs.GetValueOrDefault("role")))))
        {
            var role = Text(grant.Inputs.GetValueOrDefault("role"));
            if (grant.Type != "gcp:serviceaccount/iAMMember:IAMMember")
            {
                yield return $"{grant.Type} {grant.Name} grants {role} beyond a single service account";
                continue;
            }

            if (Text(grant.Inputs.GetValueOrDefault("member")) is var member && member != Deployer)
            {
                yield return $"{grant.Name} grants {role} to {member}, not the deployer";
            }

            if (Text(grant.Inputs.GetValueOrDefault("serviceAccountId")) is var account && (Key(account) is not { } key || !own.Contains(key)))
            {
                yield return $"{grant.Name} grants {role} on {account}, not a service account of the stack";
            }
        }

        // Every account of the stack is deployable: the deployer may act as each one.
        var granted = stack.Resources.Where(r => r.Type == "gcp:serviceaccount/iAMMember:IAMMember" && Text(r.Inputs.GetValueOrDefault("role")) == "roles/iam.serviceAccountUser")
            .Select(r => Key(Text(r.Inputs.GetValueOrDefault("serviceAccountId")))).ToHashSet(StringComparer.Ordinal);
        foreach (var account in own.Where(a => !granted.Contains(a)))
        {
            yield return $"the deployer may not act as {account}, so a function cannot be deployed with it";
        }
    }

    public static IEnumerable<string> Violations(ObservedStack stack) =>
        All.SelectMany(i => i.Check(stack).Select(v => $"[{i.Name}] {v}"));

    public static IEnumerable<string> GraphPermissions(ObservedStack stack)
    {
        var enabled = ConnectorsOf(stack).ToHashSet(StringComparer.Ordinal);
        var applications = stack.OfType(Application).ToList();
        if (!applications.Select(a => a.Name).ToHashSet(StringComparer.Ordinal).SetEquals(enabled))
        {
            yield return $"applications [{string.Join(", ", applications.Select(a => a.Name))}] are not exactly the enabled connectors [{string.Join(", ", enabled)}]";
        }

        foreach (var app in applications)
        {
            var expected = ConnectorCatalog.Find(app.Name)?.RequiredAppRoles ?? [];
            var accesses = List(app.Inputs.GetValueOrDefault("requiredResourceAccesses"));
            if (accesses.Count != 1 || Text(Map(accesses[0]).GetValueOrDefault("resourceAppId")) != GraphAppId)
            {
                yield return $"{app.Name}: requests access to other APIs than Microsoft Graph alone";
                continue;
            }

            var granted = new List<string>();
            foreach (var access in List(Map(accesses[0]).GetValueOrDefault("resourceAccesses")).Select(Map))
            {
                var id = Text(access.GetValueOrDefault("id"));
                if (Text(access.GetValueOrDefault("type")) != "Role")
                {
                    yield return $"{app.Name}: permission {id} is not an application permission (type Role)";
                }

                if (!ReadOnlyGraphRoles.TryGetValue(id ?? string.Empty, out var name))
                {
                    yield return $"{app.Name}: permission {id} is not on the read-only allowlist";
                }
                else
                {
                    granted.Add(name);
                }
            }

            if (!granted.Order(StringComparer.Ordinal).SequenceEqual(expected.Order(StringComparer.Ordinal)))
            {
                yield return $"{app.Name}: requests [{string.Join(", ", granted)}], the connector needs exactly [{string.Join(", ", expected)}]";
            }

            foreach (var key in new[] { "passwords", "oauth2PostResponseRequired", "api", "web", "publicClient", "singlePageApplication" })
            {
                if (app.Inputs.ContainsKey(key))
                {
                    yield return $"{app.Name}: sets '{key}'; a connector application needs none";
                }
            }
        }

        foreach (var assignment in stack.OfType(AppRoleAssignment))
        {
            var id = Text(assignment.Inputs.GetValueOrDefault("appRoleId")) ?? string.Empty;
            var connector = ConnectorsOf(stack).Where(c => assignment.Name.StartsWith(c + "-", StringComparison.Ordinal)).MaxBy(c => c.Length);
            var allowed = connector is null ? [] : ConnectorCatalog.Find(connector)!.RequiredAppRoles.Select(GraphAppRoles.IdOf);
            if (!ReadOnlyGraphRoles.ContainsKey(id) || !allowed.Contains(id))
            {
                yield return $"{assignment.Name}: consents to {id}, which is not a read-only permission of its connector";
            }
        }
    }

    public static IEnumerable<string> NoCredentials(ObservedStack stack)
    {
        foreach (var resource in stack.Resources.Where(r => CredentialTypes.Contains(r.Type)))
        {
            yield return $"{resource.Type} {resource.Name} is a credential";
        }

        foreach (var resource in stack.Resources.Where(r => !r.Type.StartsWith("random:", StringComparison.Ordinal)))
        {
            foreach (var key in resource.Inputs.Keys.Where(k => k.Contains("password", StringComparison.OrdinalIgnoreCase) || k.Contains("clientSecret", StringComparison.OrdinalIgnoreCase)))
            {
                yield return $"{resource.Type} {resource.Name} sets '{key}'";
            }
        }
    }

    public static IEnumerable<string> FederatedCredentials(ObservedStack stack)
    {
        foreach (var credential in stack.OfType(FederatedCredential))
        {
            var issuer = Text(credential.Inputs.GetValueOrDefault("issuer"));
            var audiences = List(credential.Inputs.GetValueOrDefault("audiences")).Select(Text).ToList();
            var subject = Text(credential.Inputs.GetValueOrDefault("subject")) ?? string.Empty;
            var ok = issuer switch
            {
                "https://accounts.google.com" => audiences is ["api://AzureADTokenExchange"] && GoogleUniqueId().IsMatch(subject),
                CognitoIssuer => audiences is [{ } pool] && CognitoId().IsMatch(pool) && CognitoId().IsMatch(subject),
                _ => false,
            };
            if (!ok || subject.Contains('*', StringComparison.Ordinal))
            {
                yield return $"{credential.Name}: issuer '{issuer}', audiences [{string.Join(", ", audiences)}], subject '{subject}' is not one exact identity";
            }
        }
    }

    /// <summary>
    /// On AWS, minting a Cognito identity pool's OpenID tokens is allowed for any login in the pool, so a function allowed
    /// on a pool can obtain every identity in it. Each connector therefore has its own pool: the function's policy
    /// names that pool and no other (never a wildcard), its <c>IDENTITY_POOL_ID</c> is that pool, no policy of anything
    /// else may mint in any pool, and the connector's Entra application trusts tokens of that pool alone.
    /// </summary>
    public static IEnumerable<string> OwnIdentityOnly(ObservedStack stack)
    {
        var connectors = ConnectorsOf(stack).ToList();
        string? ConnectorOf(string resourceName) => connectors.Where(c => resourceName.StartsWith(c + "-", StringComparison.Ordinal)).MaxBy(c => c.Length);

        var ownPool = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pool in stack.OfType(IdentityPool))
        {
            if (ConnectorOf(pool.Name) is not { } owner || pool.Id is null)
            {
                yield return $"{pool.Name}: an identity pool of no connector";
            }
            else if (!ownPool.TryAdd(owner, pool.Id))
            {
                yield return $"{owner}: more than one identity pool";
            }
        }

        if (ownPool.Values.Distinct(StringComparer.Ordinal).Count() != ownPool.Count)
        {
            yield return "connectors share an identity pool";
        }

        string? OwnPoolOf(string resourceName) => ConnectorOf(resourceName) is { } owner ? ownPool.GetValueOrDefault(owner) : null;

        foreach (var function in stack.OfType(LambdaFunction))
        {
            var variables = Map(Map(function.Inputs.GetValueOrDefault("environment")).GetValueOrDefault("variables"));
            if (Text(variables.GetValueOrDefault("IDENTITY_POOL_ID")) is { } poolId && poolId != OwnPoolOf(function.Name))
            {
                yield return $"{function.Name}: IDENTITY_POOL_ID '{poolId}' is not its connector's own identity pool";
            }
        }

        foreach (var resource in stack.Resources.Where(r => r.Type.StartsWith("aws:iam/", StringComparison.Ordinal)))
        {
            if (Text(resource.Inputs.GetValueOrDefault("policy")) is not { } json)
            {
                continue;
            }

            var own = OwnPoolOf(resource.Name);
            using var document = JsonDocument.Parse(json);
            var statements = document.RootElement.GetProperty("Statement");
            foreach (var statement in statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements])
            {
                var mintsIdentities = Strings(statement, "Action").Any(a => a == "*" || a.StartsWith("cognito-identity:", StringComparison.OrdinalIgnoreCase));
                if (!mintsIdentities || Text(statement.TryGetProperty("Effect", out var effect) ? effect.GetString() : null) != "Allow")
                {
                    continue;
                }

                foreach (var target in Strings(statement, "Resource"))
                {
                    if (own is null || target.Contains('*', StringComparison.Ordinal) || !target.EndsWith(":identitypool/" + own, StringComparison.Ordinal))
                    {
                        yield return $"{resource.Type} {resource.Name}: may mint identities in '{target}', which is not its connector's own identity pool";
                    }
                }
            }
        }

        foreach (var credential in stack.OfType(FederatedCredential).Where(c => Text(c.Inputs.GetValueOrDefault("issuer")) == CognitoIssuer))
        {
            var audiences = List(credential.Inputs.GetValueOrDefault("audiences")).Select(Text).ToList();
            if (OwnPoolOf(credential.Name) is not { } own || audiences is not [{ } audience] || audience != own)
            {
                yield return $"{credential.Name}: trusts tokens for [{string.Join(", ", audiences)}], not its connector's own identity pool";
            }
        }
    }

    public static IEnumerable<string> IamStatements(ObservedStack stack)
    {
        foreach (var resource in stack.Resources.Where(r => r.Type.StartsWith("aws:iam/", StringComparison.Ordinal)))
        {
            foreach (var key in new[] { "policy", "assumeRolePolicy" })
            {
                if (Text(resource.Inputs.GetValueOrDefault(key)) is not { } json)
                {
                    continue;
                }

                foreach (var violation in PolicyViolations(json, trust: key == "assumeRolePolicy"))
                {
                    yield return $"{resource.Type} {resource.Name} {key}: {violation}";
                }
            }

            if (resource.Type == "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
                && Text(resource.Inputs.GetValueOrDefault("policyArn")) is { } arn
                && !arn.EndsWith(":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", StringComparison.Ordinal))
            {
                yield return $"{resource.Name}: attaches {arn}; only AWSLambdaBasicExecutionRole is expected";
            }
        }
    }

    /// <summary>Statement by statement: exact actions, exact resources (an ARN prefix ending in * is allowed), exact principals.</summary>
    public static IEnumerable<string> PolicyViolations(string json, bool trust)
    {
        using var document = JsonDocument.Parse(json);
        var statements = document.RootElement.GetProperty("Statement");
        foreach (var statement in statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements])
        {
            var sid = statement.TryGetProperty("Sid", out var s) ? s.GetString() : "(no Sid)";
            if (statement.TryGetProperty("NotAction", out _) || statement.TryGetProperty("NotResource", out _) || statement.TryGetProperty("NotPrincipal", out _))
            {
                yield return $"{sid}: uses a Not* element";
            }

            if (!statement.TryGetProperty("Effect", out var effect) || effect.GetString() != "Allow")
            {
                continue;
            }

            foreach (var action in Strings(statement, "Action"))
            {
                if (action.Contains('*', StringComparison.Ordinal) || !action.Contains(':', StringComparison.Ordinal))
                {
                    yield return $"{sid}: action '{action}' is not one exact action";
                }
            }

            if (trust)
            {
                if (!statement.TryGetProperty("Principal", out var principal) || principal.ValueKind != JsonValueKind.Object)
                {
                    yield return $"{sid}: trusts no exact principal";
                    continue;
                }

                foreach (var value in principal.EnumerateObject().SelectMany(p => p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray().Select(v => v.GetString()) : [p.Value.GetString()]))
                {
                    if (value is null or "*" || value.Contains('*', StringComparison.Ordinal))
                    {
                        yield return $"{sid}: trusts '{value}'";
                    }
                }

                if (principal.TryGetProperty("Federated", out _)
                    && !(statement.TryGetProperty("Condition", out var condition) && condition.TryGetProperty("StringEquals", out var equals) && equals.EnumerateObject().Any(p => p.Name.EndsWith(":aud", StringComparison.Ordinal))))
                {
                    yield return $"{sid}: a federated principal without an exact audience condition";
                }
            }
            else
            {
                var resources = Strings(statement, "Resource").ToList();
                if (resources.Count == 0)
                {
                    yield return $"{sid}: names no resource";
                }

                foreach (var resource in resources)
                {
                    var star = resource.IndexOf('*', StringComparison.Ordinal);
                    if (!resource.StartsWith("arn:", StringComparison.Ordinal) || (star >= 0 && star != resource.Length - 1) || resource.Split(':').Length < 6 || resource.EndsWith(":*", StringComparison.Ordinal) || resource.EndsWith("/*", StringComparison.Ordinal) && !resource.Contains(":parameter/", StringComparison.Ordinal))
                    {
                        yield return $"{sid}: resource '{resource}' is not an exact ARN (or an SSM parameter prefix)";
                    }
                }
            }
        }
    }

    public static IEnumerable<string> InvocationRequiresIam(ObservedStack stack)
    {
        foreach (var url in stack.OfType("aws:lambda/functionUrl:FunctionUrl"))
        {
            if (Text(url.Inputs.GetValueOrDefault("authorizationType")) != "AWS_IAM")
            {
                yield return $"{url.Name}: function URL auth is '{Text(url.Inputs.GetValueOrDefault("authorizationType"))}', not AWS_IAM";
            }
        }

        foreach (var permission in stack.OfType("aws:lambda/permission:Permission"))
        {
            yield return $"{permission.Name}: a resource-based Lambda permission (principal '{Text(permission.Inputs.GetValueOrDefault("principal"))}'); invocation goes through the caller role only";
        }

        // Cloud Functions (2nd gen) are Cloud Run services: only run.invoker bindings may let anyone call them.
        foreach (var binding in stack.Resources.Where(r => r.Type.StartsWith("gcp:cloudrunv2/service", StringComparison.Ordinal) && r.Type.Contains("Iam", StringComparison.Ordinal)))
        {
            if (Text(binding.Inputs.GetValueOrDefault("role")) != "roles/run.invoker")
            {
                yield return $"{binding.Name}: grants {Text(binding.Inputs.GetValueOrDefault("role"))} on a function's service";
            }
        }

    }

    public static IEnumerable<string> NoPublicGcpBindings(ObservedStack stack)
    {
        foreach (var resource in stack.Resources.Where(r => r.Type.StartsWith("gcp:", StringComparison.Ordinal) && r.Type.Contains("Iam", StringComparison.Ordinal)))
        {
            var members = List(resource.Inputs.GetValueOrDefault("members")).Select(Text).Append(Text(resource.Inputs.GetValueOrDefault("member"))).OfType<string>();
            foreach (var member in members.Where(m => m is "allUsers" or "allAuthenticatedUsers" || m.StartsWith("domain:", StringComparison.Ordinal)))
            {
                yield return $"{resource.Type} {resource.Name} grants {Text(resource.Inputs.GetValueOrDefault("role"))} to {member}";
            }
        }
    }

    public static IEnumerable<string> SecretsStaySecret(ObservedStack stack)
    {
        var secretInputs = new[] { ("aws:ssm/parameter:Parameter", "value"), ("gcp:secretmanager/secretVersion:SecretVersion", "secretData") };
        foreach (var (type, key) in secretInputs)
        {
            foreach (var resource in stack.OfType(type).Where(r => r.Inputs.ContainsKey(key) && !r.SecretInputPaths.Contains(key)))
            {
                yield return $"{resource.Name}: '{key}' is not a secret";
            }
        }

        foreach (var secret in stack.SecretValues.Where(v => v.Length >= 8))
        {
            foreach (var resource in stack.Resources)
            {
                foreach (var (key, value) in resource.Inputs)
                {
                    if (!resource.SecretInputPaths.Contains(key) && JsonSerializer.Serialize(value).Contains(JsonEncodedText.Encode(secret).ToString(), StringComparison.Ordinal))
                    {
                        yield return $"{resource.Type} {resource.Name}: a secret appears in plain input '{key}'";
                    }
                }
            }

            if (stack.PlainOutputs.ToJsonString().Contains(JsonEncodedText.Encode(secret).ToString(), StringComparison.Ordinal))
            {
                yield return "a secret appears in a plain stack output";
            }
        }
    }

    public static IEnumerable<string> ApplicationsProtected(ObservedStack stack)
    {
        var protect = stack.Config.TryGetValue("psoxy:protectApplications", out var configured) ? configured is not "false" and not false : true;
        foreach (var app in stack.OfType(Application).Where(a => a.Protect != protect))
        {
            yield return $"{app.Name}: protect is {app.Protect.ToString().ToLowerInvariant()}, configured {protect.ToString().ToLowerInvariant()}";
        }
    }

    /// <summary>
    /// Custom rules narrow what a connector's proxy returns: each instance runs exactly its own connector's configured
    /// rules (none when none are configured, never another connector's), and on AWS, where they are an SSM parameter,
    /// no identity but that connector's own execution role may read them.
    /// </summary>
    public static IEnumerable<string> OwnRulesOnly(ObservedStack stack)
    {
        var connectors = ConnectorsOf(stack).ToList();
        string? ConnectorOf(string resourceName) => connectors.Where(c => resourceName.StartsWith(c + "-", StringComparison.Ordinal)).MaxBy(c => c.Length);
        var configured = ConfiguredRules(stack);
        bool IsRulesOf(string? connector, string value) =>
            connector is not null && configured.TryGetValue(connector, out var yaml) && (value == yaml || Gunzipped(value) == yaml);

        var rulesParameters = stack.OfType("aws:ssm/parameter:Parameter")
            .Where(p => Text(p.Inputs.GetValueOrDefault("name"))?.EndsWith("RULES", StringComparison.Ordinal) == true).ToList();
        foreach (var parameter in rulesParameters)
        {
            var owner = ConnectorOf(parameter.Name);
            var value = Text(parameter.Inputs.GetValueOrDefault("insecureValue")) ?? Text(parameter.Inputs.GetValueOrDefault("value")) ?? string.Empty;
            if (!IsRulesOf(owner, value))
            {
                yield return $"{parameter.Name}: holds rules that are not {owner ?? "any connector"}'s configured ones";
            }

            var name = Text(parameter.Inputs["name"])!.TrimStart('/');
            foreach (var policy in stack.Resources.Where(r => r.Type.StartsWith("aws:iam/", StringComparison.Ordinal) && r.Inputs.ContainsKey("policy")))
            {
                using var document = JsonDocument.Parse(Text(policy.Inputs["policy"])!);
                var statements = document.RootElement.GetProperty("Statement");
                foreach (var statement in statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements])
                {
                    var reads = Strings(statement, "Action").Any(a => a == "*" || a.StartsWith("ssm:Get", StringComparison.OrdinalIgnoreCase) || a.Equals("ssm:*", StringComparison.OrdinalIgnoreCase));
                    if (!reads || Text(statement.TryGetProperty("Effect", out var effect) ? effect.GetString() : null) != "Allow")
                    {
                        continue;
                    }

                    foreach (var target in Strings(statement, "Resource").Where(r => CoversParameter(r, name)))
                    {
                        if (ConnectorOf(policy.Name) is not { } reader || reader != owner)
                        {
                            yield return $"{policy.Type} {policy.Name}: may read {owner}'s rules ({target})";
                        }
                    }
                }
            }
        }

        foreach (var function in stack.Resources.Where(r => r.Type is "aws:lambda/function:Function" or "gcp:cloudfunctionsv2/function:Function"))
        {
            var owner = ConnectorOf(function.Name);
            var variables = function.Type.StartsWith("aws:", StringComparison.Ordinal)
                ? Map(Map(function.Inputs.GetValueOrDefault("environment")).GetValueOrDefault("variables"))
                : Map(Map(function.Inputs.GetValueOrDefault("serviceConfig")).GetValueOrDefault("environmentVariables"));
            if (Text(variables.GetValueOrDefault("RULES")) is { } rules && !IsRulesOf(owner, rules))
            {
                yield return $"{function.Name}: RULES are not {owner}'s configured rules";
            }

            var hasOwn = variables.ContainsKey("RULES") || rulesParameters.Any(p => ConnectorOf(p.Name) == owner);
            if (owner is not null && configured.ContainsKey(owner) && !hasOwn)
            {
                yield return $"{function.Name}: runs without {owner}'s configured rules";
            }
        }
    }

    /// <summary>The configured rules' texts by connector, read from the files as the configuration names them.</summary>
    private static Dictionary<string, string> ConfiguredRules(ObservedStack stack)
    {
        var map = stack.Config.TryGetValue("psoxy:customRules", out var value) ? value switch
        {
            string json => JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [],
            IDictionary<string, string> files => new Dictionary<string, string>(files),
            _ => [],
        } : [];
        return map.ToDictionary(
            kv => ConnectorCatalog.DeprecatedAliases.GetValueOrDefault(kv.Key, kv.Key),
            kv => File.ReadAllText(Path.IsPathRooted(kv.Value) ? kv.Value : Path.Combine(Testing.Repository.Root, kv.Value)).TrimStart('\uFEFF'));
    }

    private static string? Gunzipped(string value)
    {
        try
        {
            using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(Convert.FromBase64String(value)), System.IO.Compression.CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, System.Text.Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Whether an IAM resource covers the SSM parameter <paramref name="name"/> (without its leading '/'), wildcards included.</summary>
    private static bool CoversParameter(string resource, string name)
    {
        if (resource == "*")
        {
            return true;
        }

        var marker = resource.IndexOf(":parameter/", StringComparison.Ordinal);
        if (marker < 0)
        {
            return false;
        }

        var pattern = "^" + Regex.Escape(resource[(marker + ":parameter/".Length)..]).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(name, pattern);
    }

    private static IEnumerable<string> ConnectorsOf(ObservedStack stack) =>
        stack.OfType("psoxy:entra:Connection").Select(c => c.Name);

    private static IEnumerable<string> Strings(JsonElement statement, string property) =>
        !statement.TryGetProperty(property, out var value) ? []
        : value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString() ?? string.Empty)
        : [value.GetString() ?? string.Empty];

    private static string? Text(object? value) => value as string;

    private static List<object?> List(object? value) => value is System.Collections.IEnumerable items and not string ? items.Cast<object?>().ToList() : [];

    private static IReadOnlyDictionary<string, object?> Map(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> map => map,
        IDictionary<string, object> map => map.ToDictionary(kv => kv.Key, kv => (object?)kv.Value),
        System.Collections.IDictionary map => map.Keys.Cast<object>().ToDictionary(k => k.ToString()!, k => map[k]),
        _ => new Dictionary<string, object?>(),
    };
}
