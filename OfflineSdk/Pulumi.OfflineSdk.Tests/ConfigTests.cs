using System.Text.Json;
using OfflineSdkTests.Fakes;
using Pulumi;
using Pulumi.Testing;

namespace OfflineSdkTests;

public sealed class ConfigTests : IDisposable
{
    public sealed class Settings
    {
        public string? Name { get; set; }
        public int Count { get; set; }
    }

    public ConfigTests()
    {
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["project:plain"] = "hello",
            ["project:config:legacy"] = "old-form",
            ["aws:region"] = "eu-west-1",
            ["project:flag"] = "true",
            ["project:jsonflag"] = true,
            ["project:count"] = 42,
            ["project:ratio"] = 1.5,
            ["project:settings"] = new Dictionary<string, object> { ["Name"] = "n", ["Count"] = 2 },
            ["project:lower"] = new Dictionary<string, object> { ["name"] = "lower" },
            ["project:badint"] = "twelve",
            ["project:secret"] = "s3cr3t",
            ["other:plain"] = "other-project",
        }));
        Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", "[\"project:secret\"]");
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", null);
        Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", null);
    }

    private static async Task<T> WithConfigAsync<T>(Func<T> read, TestOptions? options = null)
    {
        var result = default(T)!;
        await Deployment.TestAsync(new RecordingMocks(), options ?? new TestOptions(), () => { result = read(); });
        return result;
    }

    [Fact]
    public async Task Keys_use_the_project_namespace_and_the_legacy_form_is_normalised()
    {
        Assert.Equal("hello", await WithConfigAsync(() => new Config().Get("plain")));
        Assert.Equal("old-form", await WithConfigAsync(() => new Config().Get("legacy")));
        Assert.Equal("eu-west-1", await WithConfigAsync(() => new Config("aws").Get("region")));
        Assert.Null(await WithConfigAsync(() => new Config().Get("region")));
        Assert.Equal("other-project", await WithConfigAsync(() => new Config().Get("plain"), new TestOptions { ProjectName = "other" }));
    }

    [Fact]
    public async Task Typed_getters_parse_raw_json_text()
    {
        Assert.True(await WithConfigAsync(() => new Config().RequireBoolean("flag")));
        // A JSON boolean is kept as JsonElement text ("True"), which, as in the official SDK, is not "true".
        Assert.Equal("True", await WithConfigAsync(() => new Config().Get("jsonflag")));
        Assert.Equal(42, await WithConfigAsync(() => new Config().GetInt32("count")));
        Assert.Equal(1.5, await WithConfigAsync(() => new Config().RequireDouble("ratio")));
        Assert.Equal("{\"Name\":\"n\",\"Count\":2}", await WithConfigAsync(() => new Config().Get("settings")));

        var settings = await WithConfigAsync(() => new Config().RequireObject<Settings>("settings"));
        Assert.Equal("n", settings.Name);
        Assert.Equal(2, settings.Count);

        // Without options the deserialisation is case-sensitive; with options it is as configured.
        Assert.Null((await WithConfigAsync(() => new Config().GetObject<Settings>("lower")))!.Name);
        var insensitive = await WithConfigAsync(() => new Config().GetObject<Settings>("lower", new JsonSerializerOptions { PropertyNameCaseInsensitive = true }));
        Assert.Equal("lower", insensitive!.Name);
    }

    [Fact]
    public async Task Invalid_and_missing_values_fail_the_run_with_the_official_messages()
    {
        var bad = await Assert.ThrowsAsync<RunException>(() => WithConfigAsync(() => new Config().GetInt32("badint")));
        Assert.Contains("Configuration 'project:badint' value 'twelve' is not a valid Int32", bad.Message, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<RunException>(() => WithConfigAsync(() => new Config().Require("absent")));
        Assert.StartsWith("Missing Required configuration variable 'project:absent'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("pulumi config set project:absent", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_getters_return_secret_outputs()
    {
        var secret = await WithConfigAsync(() => new Config().RequireSecret("secret"));
        Assert.True(await Output.IsSecretAsync(secret));
        Assert.Equal("s3cr3t", await secret.ValueAsync());
        Assert.Null(await WithConfigAsync(() => new Config().GetSecret("absent")));
        var number = await WithConfigAsync(() => new Config().GetSecretInt32("count"));
        Assert.True(await Output.IsSecretAsync(number!));
    }

    [Fact]
    public async Task Reading_a_secret_key_with_a_plain_getter_returns_the_value_without_error()
    {
        // The official SDK has this warning switched off (pulumi/pulumi#7127): no diagnostics.
        Assert.Equal("s3cr3t", await WithConfigAsync(() => new Config().Get("secret")));
        Assert.True(Deployment.Current.IsConfigSecret("project:secret"));
        Assert.DoesNotContain(Deployment.Current.LogEntries, e => e.Severity >= LogSeverity.Warning);
    }
}
