using Psoxy.Infra;
using Psoxy.Infra.Planning;
using Pulumi;

// `pulumi up` / `pulumi preview` run the program with no arguments and the engine's addresses in the environment;
// `dotnet run -- plan` previews a stack file offline.
if (args is ["plan", .. var planArgs])
{
    return await OfflinePlan.RunAsync(planArgs, Console.Out, Console.Error);
}

if (!PulumiEngine.IsPresent(Environment.GetEnvironmentVariable))
{
    await Console.Error.WriteLineAsync(PulumiEngine.MissingMessage);
    return 1;
}

return await Deployment.RunAsync<PsoxyStack>();
