namespace Psoxy.Infra.Entra;

/// <summary>Where an Entra admin goes to review and consent to an application's permissions.</summary>
internal static class EntraUrls
{
    /// <summary>Tenant-wide admin consent for the application's configured permissions.</summary>
    public static string AdminConsent(string tenantId, string clientId) =>
        $"https://login.microsoftonline.com/{tenantId}/adminconsent?client_id={clientId}";

    /// <summary>The application's "API permissions" page in the Entra admin center.</summary>
    public static string PermissionsPage(string clientId) =>
        $"https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/CallAnAPI/appId/{clientId}/isMSAApp~/false";
}
