// Pulumi's test runtime is a process-wide singleton: programs under mocks must run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
