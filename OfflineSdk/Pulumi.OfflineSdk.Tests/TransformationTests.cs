using OfflineSdkTests.Fakes;
using Pulumi;
using Pulumi.Testing;

namespace OfflineSdkTests;

/// <summary>Legacy resource transformations: run in-process before registration, inherited from parents and the stack.</summary>
public sealed class TransformationTests
{
    public sealed class TransformedStack : Stack
    {
        public static List<string> Seen { get; } = [];

        public TransformedStack()
            : base(new StackOptions
            {
                ResourceTransformations =
                [
                    args =>
                    {
                        Seen.Add($"{args.Resource.GetResourceType()}::{args.Resource.GetResourceName()}");
                        return args.Resource is Bucket && args.Args is BucketArgs
                            ? new ResourceTransformationResult(new BucketArgs { BucketName = "renamed-" + args.Resource.GetResourceName() }, args.Options)
                            : null;
                    },
                ],
            })
        {
            _ = new Group("g", nested: true);
        }
    }

    [Fact]
    public async Task StackTransformations_SeeEveryResourceAndCanReplaceArgs()
    {
        TransformedStack.Seen.Clear();
        var mocks = new RecordingMocks();

        await Deployment.TestAsync<TransformedStack>(mocks, new TestOptions { IsPreview = false });

        Assert.Equal(
            ["pulumi:pulumi:Stack::project-stack", "test:index:Group::g", "test:index/bucket:Bucket::g-bucket", "test:index:Group::g-inner", "test:index/bucket:Bucket::g-inner-bucket"],
            TransformedStack.Seen);
        Assert.Equal("renamed-g-bucket", mocks.Single("g-bucket").Inputs["bucketName"]);
        Assert.Equal("renamed-g-inner-bucket", mocks.Single("g-inner-bucket").Inputs["bucketName"]);
    }

    [Fact]
    public async Task ResourceTransformations_ApplyToTheResourceAndItsChildrenOnly()
    {
        var seen = new List<string>();
        var mocks = new RecordingMocks();

        await Deployment.TestAsync(mocks, new TestOptions(), () =>
        {
            _ = new Group("outer", new ComponentResourceOptions
            {
                ResourceTransformations = [args => { seen.Add(args.Resource.GetResourceName()); return null; }],
            });
            _ = new Bucket("sibling");
        });

        Assert.Equal(["outer", "outer-bucket"], seen);
    }

    [Fact]
    public async Task ChangingTheParent_IsRefused()
    {
        var mocks = new RecordingMocks();

        var error = await Record.ExceptionAsync(() => Deployment.TestAsync(mocks, new TestOptions(), () =>
        {
            var other = new Group("other");
            _ = new Bucket("b", null, new CustomResourceOptions
            {
                ResourceTransformations =
                [
                    args =>
                    {
                        var options = CustomResourceOptions.Merge((CustomResourceOptions)args.Options, new CustomResourceOptions { Parent = other });
                        return new ResourceTransformationResult(args.Args, options);
                    },
                ],
            });
        }));

        Assert.Contains("cannot currently be used to change the `parent`", error?.ToString() ?? string.Empty, StringComparison.Ordinal);
    }
}
