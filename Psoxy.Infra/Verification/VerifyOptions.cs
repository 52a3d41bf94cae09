namespace Psoxy.Infra.Verification;

/// <summary>What <c>verify</c> was asked to do, independent of how the command line spelled it.</summary>
internal sealed record VerifyOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A file holding the stack outputs JSON; <c>-</c> for standard input. Exclusive with <see cref="StackName"/>.</summary>
    public string? OutputsFile { get; init; }

    /// <summary>A stack whose outputs the <c>pulumi</c> CLI prints. Exclusive with <see cref="OutputsFile"/>.</summary>
    public string? StackName { get; init; }

    /// <summary>The connectors to check; empty for all in the outputs.</summary>
    public IReadOnlyList<string> Connectors { get; init; } = [];

    public ReportFormat Format { get; init; } = ReportFormat.Text;

    /// <summary>How long each request to a proxy may take (a cold start included).</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>AWS: call as the stack's caller role, as Worklytics does.</summary>
    public bool AssumeCallerRole { get; init; }

    /// <summary>GCP: the ID token to send instead of one from application default credentials.</summary>
    public string? IdentityToken { get; init; }

    // The compiler-generated ToString would print the token.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("OutputsFile = ").Append(OutputsFile ?? "null")
            .Append(", StackName = ").Append(StackName ?? "null")
            .Append(", Connectors = [").AppendJoin(", ", Connectors).Append(']')
            .Append(", Format = ").Append(Format)
            .Append(", Timeout = ").Append(Timeout)
            .Append(", AssumeCallerRole = ").Append(AssumeCallerRole)
            .Append(", IdentityToken = ").Append(IdentityToken is null ? "null" : "***");
        return true;
    }
}
