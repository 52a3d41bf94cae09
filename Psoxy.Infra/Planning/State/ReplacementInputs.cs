using System.Collections.Immutable;

namespace Psoxy.Infra.Planning.State;

/// <summary>
/// Per resource type the program declares, the inputs whose change makes <c>pulumi up</c> replace the resource: the
/// attributes marked ForceNew in the Terraform provider schemas that the Pulumi providers bridge (terraform-provider-aws
/// for aws:, terraform-provider-google for gcp:, terraform-provider-azuread for azuread:, terraform-provider-random and
/// terraform-provider-tls), which the Pulumi registry pages show as "Changes to this property will trigger replacement".
/// A type missing here is planned as "may replace" on any change, never as an update.
/// </summary>
internal static class ReplacementInputs
{
    /// <summary>The replacement-forcing inputs, by type token.</summary>
    public static readonly ImmutableDictionary<string, ImmutableArray<string>> ByType = new Dictionary<string, ImmutableArray<string>>
    {
        ["azuread:index/application:Application"] = ["templateId"],
        ["azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential"] = ["applicationId", "displayName"],
        ["azuread:index/applicationCertificate:ApplicationCertificate"] = ["applicationId", "encoding", "type", "value", "keyId", "startDate", "endDate", "endDateRelative"],
        ["azuread:index/servicePrincipal:ServicePrincipal"] = ["clientId"],
        ["azuread:index/appRoleAssignment:AppRoleAssignment"] = ["appRoleId", "principalObjectId", "resourceObjectId"],
        ["random:index/randomPassword:RandomPassword"] = ["length", "special", "upper", "lower", "numeric", "minLower", "minUpper", "minNumeric", "minSpecial", "overrideSpecial", "keepers"],
        ["tls:index/privateKey:PrivateKey"] = ["algorithm", "rsaBits", "ecdsaCurve"],
        ["aws:cognito/identityPool:IdentityPool"] = ["developerProviderName"],
        ["aws:lambda/function:Function"] = ["name", "packageType"],
        ["aws:lambda/functionUrl:FunctionUrl"] = ["functionName", "qualifier"],
        ["aws:iam/role:Role"] = ["name", "path"],
        ["aws:iam/rolePolicy:RolePolicy"] = ["name", "role"],
        ["aws:iam/policy:Policy"] = ["name", "namePrefix", "path", "description"],
        ["aws:iam/rolePolicyAttachment:RolePolicyAttachment"] = ["role", "policyArn"],
        ["aws:cloudwatch/logGroup:LogGroup"] = ["name"],
        ["aws:ssm/parameter:Parameter"] = ["name"],
        ["aws:s3/bucket:Bucket"] = ["bucket", "bucketPrefix"],
        ["aws:s3/bucketObjectv2:BucketObjectv2"] = ["bucket", "key"],
        ["gcp:serviceaccount/account:Account"] = ["accountId", "project"],
        ["gcp:cloudfunctionsv2/function:Function"] = ["name", "location", "project"],
        ["gcp:secretmanager/secret:Secret"] = ["secretId", "project", "replication"],
        ["gcp:secretmanager/secretVersion:SecretVersion"] = ["secret", "secretData"],
        ["gcp:secretmanager/secretIamMember:SecretIamMember"] = ["secretId", "role", "member", "project"],
        ["gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding"] = ["name", "location", "project", "role"],
        ["gcp:cloudrunv2/serviceIamMember:ServiceIamMember"] = ["name", "location", "project", "role", "member"],
        ["gcp:storage/bucket:Bucket"] = ["name", "location", "project"],
        ["gcp:storage/bucketObject:BucketObject"] = ["name", "bucket"],
        ["gcp:projects/service:Service"] = ["service", "project"],
        ["gcp:projects/iAMMember:IAMMember"] = ["project", "role", "member", "condition"],
        ["gcp:serviceaccount/iAMMember:IAMMember"] = ["serviceAccountId", "role", "member", "condition"],
        ["gcp:artifactregistry/repository:Repository"] = ["repositoryId", "location", "format", "project"],
        ["gcp:artifactregistry/repositoryIamMember:RepositoryIamMember"] = ["repository", "location", "project", "role", "member"],
        ["gcp:storage/bucketIAMMember:BucketIAMMember"] = ["bucket", "role", "member", "condition"],
    }.ToImmutableDictionary();

    /// <summary>Whether the table knows <paramref name="type"/>; when not, any change may replace it.</summary>
    public static bool Knows(string type) => ByType.ContainsKey(type);

    /// <summary>Whether a change of <paramref name="input"/> replaces a resource of <paramref name="type"/>.</summary>
    public static bool Forces(string type, string input) => ByType.TryGetValue(type, out var inputs) && inputs.Contains(input);
}
