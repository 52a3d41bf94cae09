using Psoxy.Infra.Catalog;

namespace Psoxy.Infra.Hosts.Aws;

/// <summary>The names and ARNs of the AWS host (psoxy-hosts.md §1.1), all derived from the configuration alone.</summary>
/// <param name="Partition">The AWS partition of the account (<c>aws</c>, <c>aws-cn</c>, <c>aws-us-gov</c>...).</param>
/// <param name="Region">The region the proxies run in.</param>
/// <param name="AccountId">The account the proxies run in.</param>
/// <param name="Environment">The environment name.</param>
internal sealed record AwsNames(string Partition, string Region, string AccountId, string Environment)
{
    /// <summary>The Lambda function: <c>&lt;environment&gt;-&lt;connector&gt;</c>.</summary>
    public string FunctionName(ConnectorSpec connector) => $"{Environment}-{connector.Id}";

    public string FunctionArn(ConnectorSpec connector) => $"arn:{Partition}:lambda:{Region}:{AccountId}:function:{FunctionName(connector)}";

    /// <summary>The function's execution role: <c>&lt;function&gt;_Exec</c>.</summary>
    public string ExecutionRoleName(ConnectorSpec connector) => FunctionName(connector) + "_Exec";

    /// <summary>The Lambda log group, which Lambda writes to by this exact name.</summary>
    public string LogGroupName(ConnectorSpec connector) => "/aws/lambda/" + FunctionName(connector);

    /// <summary>
    /// The connector's Cognito identity pool: <c>&lt;environment&gt;-&lt;connector&gt;-azure-ad-federation</c>, Psoxy's
    /// pool name with the connector in it, as each connector has its own.
    /// </summary>
    public string IdentityPoolName(ConnectorSpec connector) => $"{Environment}-{connector.Id}-azure-ad-federation";

    /// <summary>The role the analytics service assumes: <c>&lt;environment&gt;Caller</c>.</summary>
    public string CallerRoleName => Environment + "Caller";

    public string AccountRootArn => $"arn:{Partition}:iam::{AccountId}:root";

    /// <summary>An AWS managed policy, e.g. <c>service-role/AWSLambdaBasicExecutionRole</c>.</summary>
    public string ManagedPolicyArn(string path) => $"arn:{Partition}:iam::aws:policy/{path}";

    /// <summary>
    /// The ARN of a parameter, or with a trailing <c>*</c> of every parameter whose name starts with it. A hierarchical
    /// name's leading '/' is not repeated after <c>parameter</c>.
    /// </summary>
    public string ParameterArn(string nameOrPrefix) => $"arn:{Partition}:ssm:{Region}:{AccountId}:parameter/{nameOrPrefix.TrimStart('/')}";
}
