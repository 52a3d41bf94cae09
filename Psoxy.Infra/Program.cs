using Psoxy.Infra;
using Psoxy.Infra.Planning;
using Psoxy.Infra.Verification;
using Pulumi;

// `pulumi up` runs the program with no arguments; `dotnet run -- plan` previews a stack file offline;
// `dotnet run -- verify` checks a deployed stack end to end.
return args switch
{
    ["plan", .. var planArgs] => await OfflinePlan.RunAsync(planArgs, Console.Out, Console.Error),
    ["verify", .. var verifyArgs] => await VerifyCommand.CreateDefault().RunAsync(verifyArgs, Console.Out, Console.Error, CancellationToken.None),
    _ => await Deployment.RunAsync<PsoxyStack>(),
};
