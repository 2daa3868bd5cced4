using LiveContract.Tests.E2E;

namespace LiveContract.Tests.Cluster;

/// <summary>
/// One cluster (started by <c>deploy/cluster.sh</c>) and one Chromium for every cluster test; the
/// tests run one after another, and a test that breaks a part (an instance, Redis, PostgreSQL)
/// restores it before it ends.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Cluster";
}
