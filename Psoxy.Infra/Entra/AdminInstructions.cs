using System.Text;
using Psoxy.Infra.Catalog;

namespace Psoxy.Infra.Entra;

/// <summary>What the admin instructions say about one application; ids are placeholders before deployment.</summary>
internal sealed record ApplicationFacts(ConnectorSpec Connector, string DisplayName, string ClientId, string ObjectId);

/// <summary>
/// Renders the Markdown document an Entra admin needs: per application, what to grant, where and by whom, the
/// extra manual steps, and the troubleshooting Psoxy's own docs list.
/// </summary>
internal static class AdminInstructions
{
    public static string Render(string tenantId, string environment, IReadOnlyList<ApplicationFacts> applications, bool consentGrantedByDeployment)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Psoxy Microsoft 365 connectors ({environment}): steps for the Entra admin");
        md.AppendLine();
        md.AppendLine($"Tenant: `{tenantId}`");
        md.AppendLine();
        md.AppendLine("Psoxy.Infra created one Microsoft Entra ID application per Microsoft 365 connector. Each application requests only");
        md.AppendLine("read-only Microsoft Graph **application** permissions, and authenticates without any secret, through a federated");
        md.AppendLine("identity credential that trusts the proxy's own cloud identity (or, with the deprecated certificate mode, a certificate).");
        md.AppendLine();
        if (consentGrantedByDeployment)
        {
            md.AppendLine("**Admin consent was granted by the deployment itself** (`psoxy:grantAdminConsent` is true): each application has a");
            md.AppendLine("service principal and one app role assignment per permission below. Check the \"Status\" column of each");
            md.AppendLine("application's API permissions page shows \"Granted\", and complete any manual step listed.");
        }
        else
        {
            md.AppendLine("**Who may grant the consent:** a **Privileged Role Administrator** (the least-privileged role that can consent to");
            md.AppendLine("Microsoft Graph application permissions) or a Global Administrator. A Cloud Application Administrator or");
            md.AppendLine("Application Administrator cannot.");
            md.AppendLine();
            md.AppendLine("**How:** for each application below, open its API permissions page, check that the listed permissions (and");
            md.AppendLine("nothing else) are configured, and click **Grant admin consent for** your organization; or open its admin consent");
            md.AppendLine("link and accept. After consenting there is no page to return to: an error about a missing redirect URI at the");
            md.AppendLine("end is expected and harmless.");
        }

        md.AppendLine();
        var step = 1;
        foreach (var app in applications)
        {
            var connector = app.Connector;
            md.AppendLine($"## {step++}. {app.DisplayName}");
            md.AppendLine();
            md.AppendLine($"- Connector: `{connector.Id}` ({connector.Availability.ToString().ToLowerInvariant()})");
            md.AppendLine($"- Application (client) ID: `{app.ClientId}`");
            md.AppendLine($"- Object ID: `{app.ObjectId}`");
            // Before deployment the client id is unknown, and so is each URL that holds it: no URL that looks real but is not.
            var known = app.ClientId != Hosts.PreviewValue.KnownAfterDeploy;
            md.AppendLine($"- API permissions page: {(known ? EntraUrls.PermissionsPage(app.ClientId) : $"{Hosts.PreviewValue.KnownAfterDeploy} (the URL holds the application's client id)")}");
            md.AppendLine($"- Admin consent link: {(known ? EntraUrls.AdminConsent(tenantId, app.ClientId) : $"{Hosts.PreviewValue.KnownAfterDeploy} (the URL holds the application's client id)")}");
            md.AppendLine();
            md.AppendLine("Microsoft Graph application permissions to grant (all read-only):");
            md.AppendLine();
            md.AppendLine("| Permission | Type | ID |");
            md.AppendLine("| --- | --- | --- |");
            foreach (var role in connector.RequiredAppRoles)
            {
                md.AppendLine($"| `{role}` | Application | `{GraphAppRoles.IdOf(role)}` |");
            }

            if (connector.ManualStep is { } manual)
            {
                md.AppendLine();
                md.AppendLine($"### Also needed: {manual.Title}");
                md.AppendLine();
                md.AppendLine($"To be done by {manual.WhoMayDoIt}.");
                md.AppendLine();
                md.AppendLine(manual.Markdown.Replace("{clientId}", app.ClientId, StringComparison.Ordinal).TrimEnd());
            }

            md.AppendLine();
        }

        md.AppendLine("## Troubleshooting");
        md.AppendLine();
        md.AppendLine("- `Authorization_IdentityNotFound` from Microsoft Graph: admin consent has not been granted yet for that application.");
        md.AppendLine("- `Authorization_RequestDenied` right after consenting: the proxy still holds a token issued before the consent;");
        md.AppendLine("  tokens live about an hour, or redeploy the proxy instance to start fresh.");
        md.AppendLine("- `unauthorized_client` / `AADSTS700016` (application not found): the Object ID was used where the Application");
        md.AppendLine("  (client) ID is expected; the proxy and the links above use the client ID.");
        md.AppendLine("- `AADSTS7000112` (application is disabled): enable its service principal, e.g.");
        md.AppendLine("  `az ad sp update --id <object id of the enterprise application> --set accountEnabled=true`.");
        md.AppendLine("- `AADSTS700213` / `AADSTS70021` (no matching federated identity record): the credential's issuer, subject or");
        md.AppendLine("  audience no longer match the proxy's identity (matching is exact and case-sensitive). Do not edit the credential");
        md.AppendLine("  by hand; run `pulumi up` again to restore it.");
        md.AppendLine("- 400 Bad Request from the token endpoint: the tenant id is wrong; check `psoxy:msftTenantId`.");
        md.AppendLine("- A connector's permissions changed after an upgrade of Psoxy.Infra: grant admin consent again for that application.");
        md.AppendLine("- Certificate mode only: `KeyCredentialsInvalidEndDate` means Entra rejected the certificate dates; run `pulumi up` again.");
        return md.ToString();
    }
}
