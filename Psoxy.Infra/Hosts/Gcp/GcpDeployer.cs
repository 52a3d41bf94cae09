using Pulumi;
using Pulumi.Gcp.Organizations;
using ServiceAccountIamMember = Pulumi.Gcp.ServiceAccount.IAMMember;
using ServiceAccountIamMemberArgs = Pulumi.Gcp.ServiceAccount.IAMMemberArgs;

namespace Psoxy.Infra.Hosts.Gcp;

/// <summary>
/// The principal running <c>pulumi up</c> (the GCP provider's credentials), which must be able to act as every service
/// account a function runs as or is built by. As Psoxy does (gcp-proxy-api's <c>tf_runner_act_as</c>), the stack
/// grants it <see cref="ActAsRole"/> on each service account it creates, so the deployer needs no project-wide
/// <c>roles/iam.serviceAccountUser</c>.
/// </summary>
internal static class GcpDeployer
{
    /// <summary>Holds <c>iam.serviceAccounts.actAs</c>, which deploying a function to run as (or be built by) a service account needs.</summary>
    public const string ActAsRole = "roles/iam.serviceAccountUser";

    /// <summary>The provider credentials' identity as an IAM member, from their OpenID user info (the email); checked first by <see cref="GcpPreflight"/>.</summary>
    public static Output<string> Member() =>
        GetClientOpenIdUserInfo.Invoke().Apply(info => MemberOf(info.Email));

    /// <summary><c>serviceAccount:</c> for a service account's email, <c>user:</c> for anyone else's.</summary>
    /// <exception cref="RunException">No email: the credentials lack the <c>userinfo.email</c> scope.</exception>
    internal static string MemberOf(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            throw new RunException(
                "The GCP credentials do not say whose they are (getClientOpenIdUserInfo returned no email), so the deployer cannot be granted roles/iam.serviceAccountUser on the service accounts. Use credentials with the userinfo.email scope, e.g. `gcloud auth application-default login` (a person) or a service account key or impersonation (`gcloud auth application-default login --impersonate-service-account=<email>`).");
        }

        return email.EndsWith(".gserviceaccount.com", StringComparison.OrdinalIgnoreCase)
            ? $"serviceAccount:{email}"
            : $"user:{email}";
    }

    /// <summary>
    /// Grants the deployer <see cref="ActAsRole"/> on <paramref name="account"/> (non-authoritative: other members of
    /// the role on it are left alone), as a child of <paramref name="parent"/>, the component that owns the account.
    /// </summary>
    public static Resource GrantActAs(Resource parent, string name, GcpHostContext host, Pulumi.Gcp.ServiceAccount.Account account) =>
        new ServiceAccountIamMember(name, new ServiceAccountIamMemberArgs
        {
            // As Psoxy names it: projects/<project>/serviceAccounts/<email>.
            ServiceAccountId = account.Email.Apply(email => $"projects/{host.ProjectId}/serviceAccounts/{email}"),
            Role = ActAsRole,
            Member = host.DeployerMember,
        }, new CustomResourceOptions { Parent = parent });
}
