using System.Text;
using Psoxy.Infra.Configuration;

namespace Psoxy.Infra.Migration;

/// <summary>What the hand-off needs besides the deployment.</summary>
/// <param name="Environment">The new stack's name and environment.</param>
/// <param name="InPlace">Adopt what can be adopted (true) or stand up a new environment beside Terraform's.</param>
/// <param name="StateFile">How to name the state file in commands (the path given, or <c>state.json</c> for stdin).</param>
/// <param name="StackFileName">The stack file written.</param>
/// <param name="ImportFileName">The import file written; null when there is nothing to import.</param>
internal sealed record HandoffOptions(string Environment, bool InPlace, string StateFile, string StackFileName, string? ImportFileName);

/// <summary>Writes <c>MIGRATION.md</c>: the steps, in order, with commands that never print or store a secret.</summary>
internal static class HandoffWriter
{
    public static string Render(PsoxyDeployment deployment, Adoption adoption, HandoffOptions options)
    {
        var aws = deployment.Host == HostPlatform.Aws;
        var stack = options.Environment;
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line($"# Migrating Psoxy {deployment.Version} on {(aws ? "AWS" : "GCP")} from Terraform to stack `{stack}`");
        Line();
        Line(options.InPlace
            ? $"Mode: **in place**. The stack adopts the Entra applications and {adoption.Adopted.Count} host resources Terraform created; the rest is re-created under this program's names."
            : "Mode: **side by side**. The stack is a new environment beside Terraform's; it adopts only the Entra applications (their client ids and admin consent stay). Switch Worklytics to it, then destroy the Terraform deployment.");
        Line();
        Line($"Connectors: {string.Join(", ", deployment.Connectors.Select(c => $"`{c.Spec.Id}`"))}. Terraform environment id: `{(deployment.EnvironmentId.Length == 0 ? "(empty)" : deployment.EnvironmentId)}`. Tenant: `{deployment.TenantId}`.");
        Line();
        var behaviour = deployment.Behaviour;
        var rulesFolder = behaviour.CustomRules.Count > 0 ? $" and the `{MigratedRules.CustomRulesFolder}/` folder copied into it (`psoxy:customRules` names its files relative to the project directory)" : string.Empty;
        Line($"Run every command below from the Pulumi project directory (where `Pulumi.yaml` is), with `{options.StackFileName}` copied there (or into `stacks/`){rulesFolder}, "
            + $"and `{options.StateFile}` being the output of `terraform show -json` (keep it private: it holds the secrets in clear, and delete it when done).");
        Line();

        var step = 1;
        Line($"## {step++}. Carry the salt and the encryption key over, as secrets");
        Line();
        Line("Same salt, same pseudonyms. These commands pipe each value from the state straight into Pulumi's secret config: it is never printed nor written to a file.");
        Line();
        Line("```sh");
        Line($"pulumi stack init {stack}   # once; skip if the stack exists");
        Line(SecretCommand(deployment.Salt, ConfigKeys.PseudonymSalt, options));
        if (deployment.EncryptionKey is { } key)
        {
            Line(SecretCommand(key, ConfigKeys.EncryptionKey, options));
        }

        Line("```");
        Line();
        Line($"The salt comes from {deployment.Salt.Description}{(deployment.EncryptionKey is { } k ? $"; the key from {k.Description}" : string.Empty)}. "
            + $"Check both are set (values hidden): `pulumi config --stack {stack}` lists them as `[secret]`.");
        if (!aws)
        {
            Line();
            Line($"On GCP the proxies read the salt from Secret Manager themselves (Psoxy's SecretManagerConfigService: the version the secret's `{SecretManagerSecret.VersionLabel}` label names, else `latest`), "
                + "not the version Terraform's state or the functions' secret binding pins, which may be older if versions were added outside Terraform. The commands read that same version "
                + "(run them as someone who may read the secrets: `roles/secretmanager.viewer` and `secretAccessor`). The last step checks the result against the running proxies.");
        }

        Line();
        Line("What the deployment does beyond its connectors, carried into the stack file:");
        Line();
        Line(behaviour.CustomRules.Count > 0
            ? $"- Custom rules: {string.Join(", ", behaviour.CustomRules.Select(r => $"`{r.File}` from {r.Source}"))}, named in `psoxy:customRules`."
            : "- Custom rules: none (the proxies serve Psoxy's prebuilt rules).");
        Line(behaviour.AllowedDataAccessIpBlocks is { Count: > 0 } blocks
            ? $"- IP allowlist: {string.Join(", ", blocks.Select(b => $"`{b}`"))} in `psoxy:allowedDataAccessIpBlocks` (each proxy checks it{(aws ? ", and the caller role's trust requires it as `aws:SourceIp`" : string.Empty)})."
            : "- IP allowlist: none (requests are accepted from any address).");
        Line(behaviour.EnvironmentVariables.Count > 0
            ? $"- Environment variables: {string.Join(", ", behaviour.EnvironmentVariables.Keys.Order(StringComparer.Ordinal).Select(k => $"`{k}`"))} in `psoxy:environmentVariables`."
            : "- Environment variables: none beyond those this program sets.");
        if (behaviour.NotCarried.Count > 0)
        {
            Line($"- **Not carried over** (see the risks at the end): {string.Join(", ", behaviour.NotCarried.Distinct(StringComparer.Ordinal))}.");
        }

        Line();

        Line($"## {step++}. Preview");
        Line();
        Line("```sh");
        Line($"dotnet run --project Psoxy.Infra -- plan --stack {stack}");
        Line($"pulumi preview --stack {stack}");
        Line("```");
        Line();
        Line("The applications are adopted through `psoxy:existingApplications` (`pulumi up` imports them) and declared as they are "
            + "(`psoxy:existingApplicationDisplayNames`, no description, `psoxy:msftOwners` = their current owners), so the import matches. "
            + "Run Pulumi as one of those owners (Terraform made its runner one) or as a Cloud Application Administrator.");
        Line();

        if (options.InPlace)
        {
            Line($"## {step++}. Import what Terraform created");
            Line();
            if (options.ImportFileName is { } importFile)
            {
                Line($"`{importFile}` lists {adoption.Adopted.Count} resources under the names and parents this program declares them with (the components above them are created empty by the import).");
                Line();
                Line("```sh");
                Line($"pulumi import --stack {stack} --file {importFile} --protect=false --generate-code=false");
                Line("```");
                Line();
                Line("| Terraform address | Becomes | What |");
                Line("|---|---|---|");
                foreach (var a in adoption.Adopted)
                {
                    Line($"| `{a.TerraformAddress}` | `{a.Type}` `{a.LogicalName}` | {a.Why} |");
                }
            }
            else
            {
                Line("Nothing on the host has the names this program declares, so nothing is imported: the functions and roles are re-created (see the risks below).");
            }

            Line();
        }

        Line($"## {step++}. Deploy");
        Line();
        Line("First, while Terraform's proxies still serve, note the `saltSha256Hash` their health check reports (the salt check at the end, its first command).");
        Line();
        Line("```sh");
        Line($"pulumi up --stack {stack}");
        Line("```");
        Line();
        Line(options.InPlace
            ? "Review the preview first: adopted resources are updated to this program's settings; none should be replaced. Then have the Entra admin review the new federated credentials (`adminInstructions` output)."
            : "Then test the new endpoints (`pulumi stack output worklyticsInstructions`) and have the Entra admin check the applications (`adminInstructions`).");
        Line();

        Line($"## {step++}. Take the adopted resources out of Terraform");
        Line();
        Line("Before any further `terraform apply` or `terraform destroy`, so that Terraform never deletes what the stack now manages.");
        Line();
        Line("```sh");
        foreach (var c in deployment.Connectors)
        {
            Line($"terraform state rm {Quote(c.Application.Address)}");
        }

        foreach (var a in options.InPlace ? adoption.Adopted : [])
        {
            Line($"terraform state rm {Quote(a.TerraformAddress)}");
        }

        Line("```");
        Line();
        var credentials = FederatedCredentials(deployment);
        if (credentials.Count > 0)
        {
            Line("The federated credentials Terraform added to the applications are still in Terraform's state, so `terraform destroy` deletes them from the adopted applications. "
                + "They are replaced: the stack adds its own credentials, for its own identities (other subjects), and Terraform's only let Terraform's proxies in. "
                + "So destroy only after Worklytics uses the stack (until then Terraform's proxies need them). To keep them instead (e.g. to be able to go back to Terraform's proxies), take them out of Terraform's state before any destroy, and delete them in the Entra admin center when done:");
            Line();
            Line("```sh");
            foreach (var credential in credentials)
            {
                Line($"terraform state rm {Quote(credential.Address)}");
            }

            Line("```");
            Line();
        }

        var removed = deployment.Connectors.Select(c => c.Application.Address).Concat(options.InPlace ? adoption.Adopted.Select(a => a.TerraformAddress) : [])
            .ToHashSet(StringComparer.Ordinal);
        var remaining = deployment.State.Resources.Where(r => r.IsManaged && !removed.Contains(r.Address)).ToList();
        Line($"## {step++}. What `terraform destroy` will still delete");
        Line();
        if (remaining.Count == 0)
        {
            Line("Nothing: every resource was adopted.");
        }
        else
        {
            Line(options.InPlace
                ? "These were not adopted (the stack creates its own). Destroy them once `pulumi up` succeeded and the proxies answer:"
                : "Everything Terraform still manages, once Worklytics uses the new stack:");
            Line();
            foreach (var group in remaining.GroupBy(r => r.Type).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                Line($"- `{group.Key}` ({group.Count()}): {string.Join(", ", group.Take(8).Select(r => $"`{r.Address}`"))}{(group.Count() > 8 ? ", ..." : string.Empty)}");
            }

            Line();
            Line(aws
                ? "Among them the SSM parameters Terraform made (unless adopted): the stack keeps the same salt in its own parameters."
                : "Among them Terraform's secrets and service accounts: the stack keeps the same salt in its own secrets.");
        }

        Line();
        Line($"## {step++}. What changes in Worklytics");
        Line();
        if (options.InPlace && AdoptedEndpoints(adoption, aws))
        {
            Line(aws
                ? "Nothing, if the preview showed no replacement: the function URLs and the caller role (its ARN) are the same resources. Check `pulumi stack output worklyticsInstructions` against the connection settings."
                : "Nothing, if the preview showed no replacement: the Cloud Functions (and so their URLs) are the same resources.");
        }
        else
        {
            Line(aws
                ? $"Every connection gets a new **Psoxy Base URL** (the new function URLs) and **AWS Psoxy Role ARN** (the role `{stack}Caller`): once the salt check (next step) passes, edit each connection in Worklytics with the values from `pulumi stack output worklyticsInstructions`, then destroy Terraform's."
                : "Every connection gets a new **Psoxy Base URL** (the new functions): once the salt check (next step) passes, edit each connection in Worklytics with the values from `pulumi stack output worklyticsInstructions`, then destroy Terraform's.");
        }

        Line();
        Line($"## {step++}. Check the salt before Worklytics uses the stack");
        Line();
        Line("Same salt, same pseudonyms. Before deploying, while Terraform's proxies still serve, note the `saltSha256Hash` their health check reports (Psoxy's test tool, `tools/psoxy-test`):");
        Line();
        Line("```sh");
        Line(aws
            ? $"node cli-call.js -u {deployment.Connectors[0].Parts.GetValueOrDefault("url")?.String("function_url") ?? "<Terraform's function URL>"} -r {deployment.CallerRole?.String("arn") ?? "<Terraform's caller role ARN>"} --health-check"
            : $"node cli-call.js -u {deployment.Connectors[0].Function.String("url") ?? "<Terraform's function URL>"} -t $(gcloud auth print-identity-token) --health-check");
        Line("```");
        Line();
        Line("After `pulumi up`, `verify` compares the stack's `saltSha256Hash` output with what every new proxy's health check reports, and fails an instance that differs, by name; then compare the stack's hash with the one noted above:");
        Line();
        Line("```sh");
        Line($"dotnet run --project Psoxy.Infra -- verify --stack {stack}");
        Line($"pulumi stack output saltSha256Hash --stack {stack}");
        Line("```");
        Line();
        Line("They must be equal. If not, the salt set in step 1 is not the one Terraform's proxies use: set the right one and `pulumi up` again"
            + (options.InPlace
                ? " at once (in place, the adopted proxies already serve Worklytics)."
                : ", and switch no Worklytics connection (the step before) until they match."));
        Line();
        Line($"## {step}. Risks this state shows");
        Line();
        var risks = new List<string>(deployment.Risks);
        if (options.InPlace)
        {
            risks.AddRange(adoption.NameMismatches.Select(m => $"Not adopted, the name differs: {m}."));
            risks.Add("Not adoptable: the Entra federated credentials (the stack adds its own for its identities; the subjects differ), "
                + (aws
                    ? "Terraform's IAM policies (the stack uses one inline policy per role), the artifacts bucket, and the shared Cognito identity pool with its developer identities: the stack gives each connector an identity pool of its own, so that no function can obtain another connector's identity, and `terraform destroy` removes the shared one once Worklytics uses the new identities."
                    : "the functions' service accounts (their ids differ, `psoxy-fn-<connector>` vs `<environment>-<connector>`, and an account id cannot be renamed), the secrets (ids differ; the stack stores the same salt under its own), the artifacts bucket and the custom roles."));
        }

        if (deployment.Owners.Count == 0)
        {
            risks.Add("The applications have no owners in the state: set psoxy:msftOwners to their owners before `pulumi up`, or the import reports the owners differ.");
        }

        risks.Add("Keep `psoxy:pseudonymizeAppIds` and `psoxy:emailCanonicalization` as written: they shape the pseudonyms like the salt does.");
        if (risks.Count == 0)
        {
            Line("None found.");
        }

        foreach (var risk in risks)
        {
            Line($"- {risk}");
        }

        return text.ToString();
    }

    private static bool AdoptedEndpoints(Adoption adoption, bool aws) =>
        aws
            ? adoption.Adopted.Any(a => a.Type == "aws:lambda/functionUrl:FunctionUrl") && adoption.Adopted.Any(a => a.Why.StartsWith("caller role", StringComparison.Ordinal))
            : adoption.Adopted.Any(a => a.Type == "gcp:cloudfunctionsv2/function:Function");

    /// <summary>The federated identity credentials Terraform manages on the adopted applications (Psoxy's azuread-federated-credentials).</summary>
    private static List<TerraformResource> FederatedCredentials(PsoxyDeployment deployment)
    {
        var applications = deployment.Connectors.Select(c => c.ApplicationObjectId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return deployment.State.Managed("azuread_application_federated_identity_credential")
            .Where(c => (c.String("application_id") ?? c.String("application_object_id") ?? string.Empty).Split('/').Last() is { } id && applications.Contains(id))
            .ToList();
    }

    /// <summary>
    /// A pipe into secret config that never prints the value. From the state, jq selects the resource by address and
    /// prints its value without a newline; on GCP, gcloud reads the version Psoxy reads (SecretManagerConfigService:
    /// the <c>latest-version</c> label's, else <c>latest</c>) and prints its data as stored.
    /// </summary>
    private static string SecretCommand(SecretSource secret, string key, HandoffOptions options) => secret switch
    {
        StateSecret s => $"jq -j --arg a {Quote(s.Resource.Address)} '[.. | objects | select(.address? == $a)][0].values.{s.Attribute}' {Quote(options.StateFile)} "
            + $"| pulumi config set --secret {ConfigKeys.Full(key)} --stack {options.Environment}",
        SecretManagerSecret m => $"v=$(gcloud secrets describe {Quote(m.SecretId)} --project {Quote(m.Project)} --format=json | jq -r '.labels[\"{SecretManagerSecret.VersionLabel}\"] // \"latest\"') && "
            + $"gcloud secrets versions access \"$v\" --secret {Quote(m.SecretId)} --project {Quote(m.Project)} "
            + $"| pulumi config set --secret {ConfigKeys.Full(key)} --stack {options.Environment}",
        _ => throw new ArgumentOutOfRangeException(nameof(secret)),
    };

    /// <summary>Single-quoted for a POSIX shell.</summary>
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
