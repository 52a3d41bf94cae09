using System.Net;
using System.Net.Sockets;
using Psoxy.Infra.Catalog;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Verification;

namespace Psoxy.Infra.Tests.Verification;

/// <summary>The pieces of <c>verify</c> on their own: reading Psoxy's answers, the outputs, tokens and Entra errors.</summary>
public sealed class VerificationPartsTests
{
    [Fact]
    public void PlainEmailAddresses_IgnoresPsoxyTokens_AndODataAnnotations()
    {
        const string Body = """
            {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":[
              {"mail":"t~80OuLKaSEacbENaFngf3v1Ul1rcs-6BmJRZsfb9scss@contoso.example","otherMails":["p~abc@contoso.example","e~def@contoso.example","h~ghi@contoso.example"]},
              {"mail":"bob.smith@contoso.example","proxyAddresses":["SMTP:carol@sub.contoso.example"]}]}
            """;

        Assert.Equal(["bob.smith@contoso.example", "carol@sub.contoso.example"], PsoxyProtocol.PlainEmailAddresses(Body));
    }

    [Fact]
    public void HealthCheckResult_ReadsPsoxysFields_AndRejectsOtherPages()
    {
        const string Json = """
            {"bundleFilename":"psoxy-gcp-0.6.9.zip","callerIp":"203.0.113.7","clientIpAuthorized":false,"configuredHost":"graph.microsoft.com",
             "configuredSource":"outlook-cal","missingConfigProperties":["REFRESH_ENDPOINT","CLIENT_ID"],"nonDefaultSalt":true,
             "saltSha256Hash":"abc","sourceAuthStrategy":"oauth2_refresh_token","version":"0.6.9","warningMessages":[]}
            """;

        var result = HealthCheckResult.TryParse(Json);

        Assert.NotNull(result);
        Assert.Equal("outlook-cal", result.ConfiguredSource);
        Assert.True(result.NonDefaultSalt);
        Assert.Equal(["CLIENT_ID", "REFRESH_ENDPOINT"], result.MissingConfigProperties);
        Assert.False(result.ClientIpAuthorized);
        Assert.Equal("0.6.9", result.Version);
        Assert.Null(HealthCheckResult.TryParse("<html>Forbidden</html>"));
        Assert.Null(HealthCheckResult.TryParse("""{"Message":"Forbidden"}"""));
    }

    [Fact]
    public void IdToken_NamesItsEmail_AndTheAudienceIsTheFunctionsOrigin()
    {
        Assert.Equal("someone@contoso.example", GoogleIdTokenAuthenticator.EmailClaim(FakeProxy.Jwt("someone@contoso.example")));
        Assert.Null(GoogleIdTokenAuthenticator.EmailClaim("not-a-jwt"));
        Assert.Null(GoogleIdTokenAuthenticator.EmailClaim("a.!!!.c"));
        Assert.Equal("https://test-outlook-cal-x7k2q9m4ra-uc.a.run.app",
            GoogleIdTokenAuthenticator.AudienceOf(new Uri("https://test-outlook-cal-x7k2q9m4ra-uc.a.run.app/")));
    }

    [Theory]
    [InlineData("https://proxy.example/", true)]
    [InlineData("http://127.0.0.1:8080/", true)]
    [InlineData("http://localhost:8080/", true)]
    [InlineData("http://[::1]:8080/", true)]
    [InlineData("http://10.0.0.1/", false)]
    [InlineData("http://proxy.example/", false)]
    public void OnlyHttpsLeavesTheMachine(string url, bool allowed) =>
        Assert.Equal(allowed, OutputsDocument.IsAllowedEndpoint(new Uri(url)));

    [Fact]
    public void Outputs_GiveEachConnectorItsVerificationCallUnderItsBaseUrl()
    {
        var outputs = OutputsDocument.Parse("""
            {"tenantId":"t","awsRegion":"eu-west-1","callerRoleArn":"arn:aws:iam::1:role/devCaller","gcpProjectId":null,
             "connectors":{"msft-teams":{"clientId":"c","endpointUrl":"https://abc.lambda-url.eu-west-1.on.aws"}}}
            """);

        Assert.Equal(HostPlatform.Aws, outputs.Host);
        Assert.Equal("arn:aws:iam::1:role/devCaller", outputs.CallerRoleArn);
        var teams = Assert.Single(outputs.Connectors);
        Assert.Equal("Microsoft Teams", teams.DisplayName);
        Assert.Equal("https://abc.lambda-url.eu-west-1.on.aws/v1.0/teams?$top=1", teams.VerificationCallUrl.ToString());
    }

    [Theory]
    [InlineData("AADSTS700016: Application with identifier 'c' was not found in the directory", "does not know application client-of-outlook-cal in tenant", "psoxy:msftTenantId")]
    [InlineData("AADSTS7000112: Application 'c' is disabled.", "is disabled in Entra", "accountEnabled=true")]
    [InlineData("AADSTS70021: No matching federated identity record found for presented assertion.", "federated identity credential does not match", "pulumi up")]
    [InlineData("AADSTS50000: something else", "Entra refused the proxy's token (AADSTS50000)", "error?code=50000")]
    public void EntraErrors_AreTold_ByTheirCode(string error, string cause, string nextStep)
    {
        var connector = new DeployedConnector(ConnectorCatalog.Find("outlook-cal")!, "Outlook", "client-of-outlook-cal", new Uri("https://x.example/"), null, null);
        var outputs = new DeploymentOutputs(HostPlatform.Gcp, "tenant-1", null, null, "p", [connector]);

        var finding = Diagnosis.DataCall(new ProxyResponse(500, $"Error communicating with source API: {{\"error_description\":\"{error}\"}}", "CONNECTION_TO_SOURCE"), outputs, connector, connector.Spec.DataCalls[0], connector.Spec.VerificationCall);

        Assert.NotNull(finding);
        Assert.Contains(cause, finding.Cause, StringComparison.Ordinal);
        Assert.Contains(nextStep, finding.NextStep, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEndpointNobodyListensOn_FailsAsUnreachable()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var outputs = """{"gcpProjectId":"p","connectors":{"outlook-cal":{"clientId":"c","endpointUrl":"http://127.0.0.1:PORT/outlook-cal/"}}}"""
            .Replace("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var result = await VerifyRun.RunAsync(outputs);

        Assert.Equal(1, result.Exit);
        Assert.Contains("the endpoint could not be reached", result.LineOf("outlook-cal"), StringComparison.Ordinal);
    }
}
