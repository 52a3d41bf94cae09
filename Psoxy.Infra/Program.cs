using Psoxy.Infra;
using Psoxy.Infra.Planning;
using Pulumi;

// `pulumi up` runs the program with no arguments; `dotnet run -- plan` previews a stack file offline.
return args is ["plan", .. var planArgs]
    ? await OfflinePlan.RunAsync(planArgs, Console.Out, Console.Error)
    : await Deployment.RunAsync<PsoxyStack>();
