using Psoxy.Infra.Cli;
using Psoxy.Infra.Configuration;
using Psoxy.Infra.Tests.Testing;

namespace Psoxy.Infra.Tests.Configuration;

/// <summary>Regions and service limits: what AWS and GCP would refuse is refused (or warned about) by the plan.</summary>
public sealed class ServiceLimitsTests
{
    [Theory]
    [InlineData("us-east-1")]
    [InlineData("eu-central-2")]
    [InlineData("cn-northwest-1")]
    [InlineData("us-gov-west-1")]
    [InlineData("us-isob-east-1")]
    [InlineData("eusc-de-east-1")]
    public void AwsRegions_OfEveryPartitionTheSdkKnows_AreKnown(string region) =>
        Assert.Equal(RegionCheck.Known, Regions.CheckAws(region));

    [Fact]
    public void AwsRegions_LeaveOutTheSdksPseudoRegions()
    {
        Assert.DoesNotContain("us-east-1-regional", Regions.Aws);
        Assert.True(Regions.Aws.Count >= 40, $"{Regions.Aws.Count} regions");
    }

    [Theory]
    [InlineData("us-north-9", "Unknown")]
    [InlineData("ap-southeast-12", "Unknown")]
    [InlineData("us-east-1a", "Malformed")]
    [InlineData("US-EAST-1", "Malformed")]
    [InlineData("mars-north-1", "Malformed")]
    [InlineData("us-est-1", "Malformed")]
    [InlineData("", "Malformed")]
    public void AwsRegions_NotKnown_AreWarnedAboutOnlyWhenShapedLikeOne(string region, string expected) =>
        Assert.Equal(expected, Regions.CheckAws(region).ToString());

    [Theory]
    [InlineData("us-central1", "Known")]
    [InlineData("europe-west12", "Known")]
    [InlineData("europe-west11", "Unknown")]
    [InlineData("mars-central1", "Malformed")]
    [InlineData("us-central1-a", "Malformed")]
    [InlineData("us", "Malformed")]
    public void GcpLocations_AreCheckedAgainstCloudFunctionsLocations(string region, string expected) =>
        Assert.Equal(expected, Regions.CheckGcp(region).ToString());

    [Fact]
    public void UnknownRegion_IsAWarningNamingIt_AndNoProblem()
    {
        var problems = new List<ConfigProblem>();
        var warnings = new List<string>();

        Assert.True(Regions.ReportAws("aws.region", "us-north-9", problems, warnings));

        Assert.Empty(problems);
        Assert.Equal("psoxy:aws.region = 'us-north-9' is not a region known to the AWS SDK for .NET (nearest known: cn-north-1, eu-north-1, af-south-1): if it is a region newer than this program, ignore this; otherwise `pulumi up` fails there.",
            Assert.Single(warnings));
    }

    [Theory]
    [InlineData("128M", true)]
    [InlineData("1024M", true)]
    [InlineData("32Gi", true)]
    [InlineData("32G", true)]
    [InlineData("127M", false)]
    [InlineData("33Gi", false)]
    [InlineData("64Gi", false)]
    [InlineData("1024", false)]
    [InlineData("99999999999999999999Gi", false)]
    public void CloudFunctionMemory_IsBetween128MAnd32Gi(string memory, bool allowed) =>
        Assert.Equal(allowed, ServiceLimits.IsCloudFunctionMemory(memory));

    [Theory]
    [InlineData("0.083", true)]
    [InlineData("0.5", true)]
    [InlineData("1", true)]
    [InlineData("8", true)]
    [InlineData("3", false)]
    [InlineData("0.08", true)]
    [InlineData("0.05", false)]
    [InlineData("16", false)]
    public void CloudFunctionCpu_IsAFractionOrOneOfTheWholeCounts(string cpu, bool allowed) =>
        Assert.Equal(allowed, GcpSizingLimits.IsCpu(cpu));

    [Fact]
    public async Task Plan_OfAStackInARegionShapedLikeANewOne_WarnsNamingIt()
    {
        var (exit, stdout, _) = await PlanAsync(Aws.Replace("us-east-1", "us-north-9", StringComparison.Ordinal));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("warning: aws:region = 'us-north-9' is not a region known to the AWS SDK for .NET", stdout, StringComparison.Ordinal);
        // Reported once, though psoxy:aws.region and the bundle's bucket name the same region.
        Assert.Single(stdout.Split('\n'), l => l.Contains("us-north-9' is not a region", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plan_OfAHugeNumber_SaysItsRange_NotThatAnIdMustStayText()
    {
        var (exit, _, stderr) = await PlanAsync(Aws.Replace("    region: us-east-1\n", "    region: us-east-1\n    memorySize: 99999999999999999999\n", StringComparison.Ordinal));

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("psoxy:aws.memorySize = '99999999999999999999': allowed: a whole number from 128 to 10240 MB (default 512)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("an id must stay text", stderr, StringComparison.Ordinal);
    }

    private const string Aws = """
        config:
          psoxy:environment: prod
          psoxy:msftTenantId: 6f1c2a4e-0b7d-4c1e-9a53-2d8e5f7a9b10
          psoxy:host: aws
          psoxy:connectors: [outlook-cal]
          psoxy:aws:
            accountId: "123456789012"
            region: us-east-1
            deploymentBundle: s3://psoxy-public-artifacts-us-east-1/psoxy-aws-0.6.9.jar
          aws:region: us-east-1

        """;

    private static async Task<(int Exit, string Stdout, string Stderr)> PlanAsync(string yaml)
    {
        var directory = Path.Combine(Path.GetTempPath(), "psoxy-limits", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var path = Path.Combine(directory, "Pulumi.limits.yaml");
            await File.WriteAllTextAsync(path, yaml);
            return await CommandRun.RunAsync("plan", "--config-file", path);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
