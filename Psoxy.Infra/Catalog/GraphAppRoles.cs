namespace Psoxy.Infra.Catalog;

/// <summary>
/// Microsoft Graph's application permissions (app roles) that Psoxy connectors may request, with their
/// GUIDs, so that planning needs no network and no directory access.
/// </summary>
/// <remarks>
/// Source: Microsoft's "Microsoft Graph permissions reference" (learn.microsoft.com/graph/permissions-reference,
/// generated table microsoftgraph/microsoft-graph-docs-contrib concepts/includes/permissions-ids.md), application
/// column. <c>AiEnterpriseInteraction.Read.All</c> postdates that table's 2023 snapshot; its GUID is the one the
/// Graph service principal publishes (graphpermissions.merill.net). Microsoft never reassigns a role's GUID.
/// Every entry is read-only: this table doubles as the allowlist of what a connector may ever be granted.
/// </remarks>
internal static class GraphAppRoles
{
    /// <summary>The application (client) id of Microsoft Graph, the same in every tenant.</summary>
    public const string GraphAppId = "00000003-0000-0000-c000-000000000000";

    /// <summary>The type that marks an application permission in a required-resource-access block.</summary>
    public const string RoleType = "Role";

    private static readonly Dictionary<string, string> Ids = new(StringComparer.Ordinal)
    {
        ["User.Read.All"] = "df021288-bdef-4463-88db-98f22de89214",
        ["Group.Read.All"] = "5b567255-7703-4780-807c-7be8301ae99b",
        ["MailboxSettings.Read"] = "40f97065-369a-49f4-947c-6a255697ae91",
        ["Calendars.Read"] = "798ee544-9d2d-430c-a058-570e29e34338",
        ["Mail.ReadBasic.All"] = "693c5e45-0940-467d-9b8a-1022fb9d42ef",
        ["Files.Read.All"] = "01d4889c-1287-42c6-ac1f-5d1e02578ef6",
        ["Team.ReadBasic.All"] = "2280dda6-0bfd-44ee-a2f4-cb867cfc4c1e",
        ["Channel.ReadBasic.All"] = "59a6b24b-4225-4393-8165-ebaec5f55d7a",
        ["Chat.Read.All"] = "6b7d71aa-70aa-4810-a8d9-5d9fb2830017",
        ["ChannelMessage.Read.All"] = "7b2449af-6ccd-4f4d-9f78-e550c193f0d1",
        ["CallRecords.Read.All"] = "45bbb07e-7321-4fd7-a8f6-3ff27e6a81c8",
        ["OnlineMeetings.Read.All"] = "c1684f21-1984-47fa-9d61-2dc8c296bb70",
        ["OnlineMeetingArtifact.Read.All"] = "df01ed3b-eb61-4eca-9965-6b3d789751b2",
        ["AiEnterpriseInteraction.Read.All"] = "839c90ab-5771-41ee-aef8-a562e8487c1e",
    };

    /// <summary>Every known role name, in table order.</summary>
    public static IReadOnlyCollection<string> Names => Ids.Keys;

    /// <summary>The GUID of an application permission; throws for a role outside the read-only allowlist.</summary>
    public static string IdOf(string roleName) =>
        Ids.TryGetValue(roleName, out var id)
            ? id
            : throw new KeyNotFoundException($"'{roleName}' is not a read-only Microsoft Graph application permission known to Psoxy.Infra.");

    public static bool IsKnown(string roleName) => Ids.ContainsKey(roleName);

    /// <summary>The name of the application permission with GUID <paramref name="id"/>; null for any other value.</summary>
    public static string? NameOf(string id) => Ids.FirstOrDefault(kv => string.Equals(kv.Value, id, StringComparison.OrdinalIgnoreCase)).Key;
}
