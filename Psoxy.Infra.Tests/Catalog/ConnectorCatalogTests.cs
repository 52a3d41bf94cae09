using Psoxy.Infra.Catalog;

namespace Psoxy.Infra.Tests.Catalog;

public sealed class ConnectorCatalogTests
{
    // The reference table (Psoxy's msft-365.tf), written out independently of the catalog.
    public static TheoryData<string, string[]> ExpectedRoles => new()
    {
        { "msft-entra-id", ["User.Read.All", "Group.Read.All", "MailboxSettings.Read"] },
        { "outlook-cal", ["Calendars.Read", "MailboxSettings.Read", "Group.Read.All", "User.Read.All"] },
        { "outlook-mail", ["Mail.ReadBasic.All", "MailboxSettings.Read", "Group.Read.All", "User.Read.All"] },
        { "msft-onedrive", ["Files.Read.All", "User.Read.All", "Group.Read.All"] },
        { "msft-teams", ["User.Read.All", "Team.ReadBasic.All", "Channel.ReadBasic.All", "Chat.Read.All", "ChannelMessage.Read.All", "CallRecords.Read.All", "OnlineMeetings.Read.All", "OnlineMeetingArtifact.Read.All"] },
        { "msft-copilot", ["User.Read.All", "AiEnterpriseInteraction.Read.All"] },
    };

    [Theory]
    [MemberData(nameof(ExpectedRoles))]
    public void EachConnector_RequiresExactlyItsReferenceRoles(string id, string[] roles)
    {
        var spec = ConnectorCatalog.Find(id);
        Assert.NotNull(spec);
        Assert.Equal(roles, spec.RequiredAppRoles);
    }

    [Fact]
    public void Catalog_HasExactlyTheSixConnectors()
    {
        Assert.Equal(
            ["msft-entra-id", "outlook-cal", "outlook-mail", "msft-teams", "msft-onedrive", "msft-copilot"],
            ConnectorCatalog.All.Select(c => c.Id));
    }

    [Theory]
    [InlineData("User.Read.All", "df021288-bdef-4463-88db-98f22de89214")]
    [InlineData("Group.Read.All", "5b567255-7703-4780-807c-7be8301ae99b")]
    [InlineData("MailboxSettings.Read", "40f97065-369a-49f4-947c-6a255697ae91")]
    [InlineData("Calendars.Read", "798ee544-9d2d-430c-a058-570e29e34338")]
    [InlineData("Mail.ReadBasic.All", "693c5e45-0940-467d-9b8a-1022fb9d42ef")]
    [InlineData("Files.Read.All", "01d4889c-1287-42c6-ac1f-5d1e02578ef6")]
    [InlineData("Team.ReadBasic.All", "2280dda6-0bfd-44ee-a2f4-cb867cfc4c1e")]
    [InlineData("Channel.ReadBasic.All", "59a6b24b-4225-4393-8165-ebaec5f55d7a")]
    [InlineData("Chat.Read.All", "6b7d71aa-70aa-4810-a8d9-5d9fb2830017")]
    [InlineData("ChannelMessage.Read.All", "7b2449af-6ccd-4f4d-9f78-e550c193f0d1")]
    [InlineData("CallRecords.Read.All", "45bbb07e-7321-4fd7-a8f6-3ff27e6a81c8")]
    [InlineData("OnlineMeetings.Read.All", "c1684f21-1984-47fa-9d61-2dc8c296bb70")]
    [InlineData("OnlineMeetingArtifact.Read.All", "df01ed3b-eb61-4eca-9965-6b3d789751b2")]
    [InlineData("AiEnterpriseInteraction.Read.All", "839c90ab-5771-41ee-aef8-a562e8487c1e")]
    public void GraphRole_HasMicrosoftsApplicationPermissionId(string role, string id) =>
        Assert.Equal(id, GraphAppRoles.IdOf(role));

    [Fact]
    public void EveryRoleTheCatalogNames_IsReadOnlyAndKnown()
    {
        foreach (var role in ConnectorCatalog.All.SelectMany(c => c.RequiredAppRoles))
        {
            Assert.True(GraphAppRoles.IsKnown(role), role);
            Assert.Contains(".Read", role, StringComparison.Ordinal);
            Assert.DoesNotContain("Write", role, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void UnknownRole_IsRefused() =>
        Assert.Throws<KeyNotFoundException>(() => GraphAppRoles.IdOf("Mail.ReadWrite"));

    [Fact]
    public void AzureAd_IsADeprecatedAliasOfEntraId() =>
        Assert.Equal("msft-entra-id", ConnectorCatalog.DeprecatedAliases["azure-ad"]);

    [Fact]
    public void OnlyTeams_HasAManualStep_NamingTheClientIdPlaceholder()
    {
        var withSteps = ConnectorCatalog.All.Where(c => c.ManualStep is not null).ToList();
        var teams = Assert.Single(withSteps);
        Assert.Equal("msft-teams", teams.Id);
        Assert.Contains("New-CsApplicationAccessPolicy", teams.ManualStep!.Markdown, StringComparison.Ordinal);
        Assert.Contains("{clientId}", teams.ManualStep.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void EachVerificationCall_IsOneOfTheConnectorsOwnPaths_LimitedToOneItem()
    {
        Assert.All(ConnectorCatalog.All, c =>
        {
            var (path, query) = (c.VerificationCall.Split('?')[0], c.VerificationCall.Split('?')[1]);
            Assert.Contains(path, c.ExampleApiPaths);
            Assert.Equal("$top=1", query);
            Assert.Empty(c.DataCalls[0].Needs);
        });
    }

    [Fact]
    public void DataCalls_AreTheConnectorsOwnPaths_ExercisingItsOwnPermissions_WithIdsFromEarlierCalls()
    {
        Assert.All(ConnectorCatalog.All, c =>
        {
            var templates = c.ExampleApiPaths.Select(p => p.Split('?')[0]).ToHashSet(StringComparer.Ordinal);
            var yielded = new HashSet<string>(StringComparer.Ordinal);
            foreach (var call in c.DataCalls)
            {
                Assert.Contains(call.Path.Split('?')[0], templates);
                // The permission (before any note in parentheses) is one the connector's application holds.
                Assert.Contains(call.Permission.Split(' ')[0], c.RequiredAppRoles);
                Assert.All(call.Needs, name => Assert.Contains(name, yielded));
                if (call.Yields is { } name)
                {
                    yielded.Add(name);
                }
            }

            Assert.Equal(c.DataCalls.Count, c.DataCalls.Select(d => d.Path).Distinct(StringComparer.Ordinal).Count());
        });
    }
}
