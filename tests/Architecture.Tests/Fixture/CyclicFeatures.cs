// Three feature folders of a made-up service that depend on each other in a cycle: FeatureCycleTests shows that the
// rule finds it. Nothing uses these types.
namespace Mitreden.Fixture.Api.Features.Alpha
{
    public sealed class AlphaApi
    {
        public int Count(Beta.BetaStore store) => store.Size;
    }
}

namespace Mitreden.Fixture.Api.Features.Beta
{
    public sealed class BetaStore
    {
        public int Size => new Gamma.GammaRules().Limit;
    }
}

namespace Mitreden.Fixture.Api.Features.Gamma
{
    public sealed class GammaRules
    {
        public int Limit => new Alpha.AlphaApi().GetHashCode();
    }
}
