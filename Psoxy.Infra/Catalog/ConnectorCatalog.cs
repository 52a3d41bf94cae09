namespace Psoxy.Infra.Catalog;

/// <summary>
/// The Microsoft 365 connectors Psoxy.Infra can deploy, as data. Facts follow Psoxy's own connector specs
/// (Worklytics/psoxy infra/modules/worklytics-connector-specs/msft-365.tf, v0.6.9), which are authoritative
/// over Psoxy's prose docs where the two disagree.
/// </summary>
internal static class ConnectorCatalog
{
    private const string TeamsPolicyName = "Teams-Policy-For-Worklytics";

    // One page of one item wherever the prebuilt rules allow $top (Psoxy's docs/sources/microsoft-365/*/*.yaml, v0.6.9).
    // The users page comes first where later calls need a user: its first user's id fills {user}.
    private static readonly DataCall Users = new("/v1.0/users?$top=1", "User.Read.All", Yields: "user");
    private static readonly DataCall Groups = new("/v1.0/groups?$top=1", "Group.Read.All");
    private static readonly DataCall MailboxSettings = new("/v1.0/users/{user}/mailboxSettings", "MailboxSettings.Read");

    // Graph lists a user's online meetings only by a key (joinWebUrl); one that matches nothing answers 404 once the
    // Teams application access policy lets the application in, and 403 naming the policy before.
    private const string NoSuchMeeting = "https://teams.microsoft.com/l/meetup-join/psoxy-infra-verify";

    public static IReadOnlyList<ConnectorSpec> All { get; } =
    [
        new(
            Id: "msft-entra-id",
            DisplayName: "Microsoft Entra ID",
            WorklyticsConnectorId: "azure-ad-psoxy",
            // The proxy's prebuilt rules are still keyed by the directory's former name.
            SourceKind: "azure-ad",
            Availability: Availability.Ga,
            RequiredAppRoles: ["User.Read.All", "Group.Read.All", "MailboxSettings.Read"],
            ExampleApiPaths: ["/v1.0/users", "/v1.0/users/{user}", "/v1.0/groups", "/v1.0/groups/{group}/members"],
            DataCalls: [Users, Groups]),
        new(
            Id: "outlook-cal",
            DisplayName: "Outlook Calendar",
            WorklyticsConnectorId: "outlook-cal-psoxy",
            SourceKind: "outlook-cal",
            Availability: Availability.Ga,
            RequiredAppRoles: ["Calendars.Read", "MailboxSettings.Read", "Group.Read.All", "User.Read.All"],
            ExampleApiPaths:
            [
                "/v1.0/users",
                "/v1.0/users/{user}/events",
                "/v1.0/users/{user}/calendarView?startDateTime={start}&endDateTime={end}",
                "/v1.0/users/{user}/mailboxSettings",
                "/v1.0/groups",
                "/v1.0/groups/{group}/members",
            ],
            DataCalls: [Users, new("/v1.0/users/{user}/events?$top=1", "Calendars.Read"), MailboxSettings, Groups]),
        new(
            Id: "outlook-mail",
            DisplayName: "Outlook Mail",
            WorklyticsConnectorId: "outlook-mail-psoxy",
            SourceKind: "outlook-mail",
            Availability: Availability.Ga,
            RequiredAppRoles: ["Mail.ReadBasic.All", "MailboxSettings.Read", "Group.Read.All", "User.Read.All"],
            ExampleApiPaths:
            [
                "/v1.0/users",
                "/v1.0/users/{user}/mailboxSettings",
                "/v1.0/users/{user}/mailFolders/SentItems/messages",
                "/v1.0/groups",
                "/v1.0/groups/{group}/members",
            ],
            DataCalls: [Users, new("/v1.0/users/{user}/mailFolders/SentItems/messages?$top=1", "Mail.ReadBasic.All"), MailboxSettings, Groups]),
        new(
            Id: "msft-teams",
            DisplayName: "Microsoft Teams",
            WorklyticsConnectorId: "msft-teams-psoxy",
            SourceKind: "msft-teams",
            Availability: Availability.Ga,
            RequiredAppRoles:
            [
                "User.Read.All",
                "Team.ReadBasic.All",
                "Channel.ReadBasic.All",
                "Chat.Read.All",
                "ChannelMessage.Read.All",
                "CallRecords.Read.All",
                "OnlineMeetings.Read.All",
                "OnlineMeetingArtifact.Read.All",
            ],
            ExampleApiPaths:
            [
                "/v1.0/teams",
                "/v1.0/users",
                "/v1.0/teams/{team}/allChannels",
                "/v1.0/users/{user}/chats",
                "/v1.0/teams/{team}/channels/{channel}/messages",
                "/v1.0/chats/{chat}/messages",
                "/v1.0/communications/callRecords",
                "/v1.0/users/{user}/onlineMeetings?$filter=JoinWebUrl eq '{joinUrl}'",
            ],
            DataCalls:
            [
                new("/v1.0/teams?$top=1", "Team.ReadBasic.All"),
                Users,
                new("/v1.0/users/{user}/chats?$top=1", "Chat.Read.All"),
                new($"/v1.0/users/{{user}}/onlineMeetings?$filter=JoinWebUrl eq '{NoSuchMeeting}'", "OnlineMeetings.Read.All (and the Teams application access policy)", NotFoundMeansAllowed: true),
            ],
            // Online meetings are only readable by applications a Teams application access policy names.
            ManualStep: new ManualStep(
                Title: "Allow the application to read online meetings (Teams application access policy)",
                WhoMayDoIt: "a Teams Administrator",
                Markdown: $$"""
                    In PowerShell with the MicrosoftTeams module installed:

                    ```powershell
                    Connect-MicrosoftTeams
                    New-CsApplicationAccessPolicy -Identity {{TeamsPolicyName}} -AppIds "{clientId}" -Description "Lets the Psoxy Microsoft Teams connector read online meetings"
                    Grant-CsApplicationAccessPolicy -PolicyName {{TeamsPolicyName}} -Global
                    ```

                    If the policy already exists (another environment created it), add this application to it instead:
                    `Set-CsApplicationAccessPolicy -Identity {{TeamsPolicyName}} -AppIds @{Add="{clientId}"}`.
                    """)),
        new(
            Id: "msft-onedrive",
            DisplayName: "Microsoft OneDrive",
            WorklyticsConnectorId: "msft-onedrive-psoxy",
            SourceKind: "msft-onedrive",
            Availability: Availability.Beta,
            RequiredAppRoles: ["Files.Read.All", "User.Read.All", "Group.Read.All"],
            ExampleApiPaths:
            [
                "/v1.0/users",
                "/v1.0/groups",
                "/v1.0/users/{user}/drives",
                "/v1.0/groups/{group}/drives",
                "/v1.0/drives/{drive}/root/delta",
                "/v1.0/drives/{drive}/activities",
            ],
            DataCalls: [Users, new("/v1.0/users/{user}/drives", "Files.Read.All"), Groups]),
        new(
            Id: "msft-copilot",
            DisplayName: "Microsoft 365 Copilot",
            WorklyticsConnectorId: "msft-copilot-psoxy",
            SourceKind: "msft-copilot",
            Availability: Availability.Alpha,
            RequiredAppRoles: ["User.Read.All", "AiEnterpriseInteraction.Read.All"],
            ExampleApiPaths: ["/v1.0/users", "/beta/copilot/users/{user}/interactionHistory/getAllEnterpriseInteractions"],
            DataCalls: [Users, new("/beta/copilot/users/{user}/interactionHistory/getAllEnterpriseInteractions", "AiEnterpriseInteraction.Read.All")]),
    ];

    /// <summary>Deprecated ids still accepted in configuration, and the connector each now means.</summary>
    public static IReadOnlyDictionary<string, string> DeprecatedAliases { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["azure-ad"] = "msft-entra-id" };

    public static ConnectorSpec? Find(string id) => All.FirstOrDefault(c => c.Id == id);

    /// <summary>Every id accepted in configuration, for error messages.</summary>
    public static IEnumerable<string> AcceptedIds => All.Select(c => c.Id).Concat(DeprecatedAliases.Keys);
}
