using IdentityProvider.Jobs;

namespace IdentityProvider.Connect;

/// <summary>Deletes back-channel logout notices a week after they were sent or given up.</summary>
internal sealed class BackchannelNoticePruning(IServiceScopeFactory scopes, TimeProvider time, ILogger<BackchannelNoticePruning> logger)
    : JobPruning<BackchannelNotice>(scopes, time, logger)
{
    protected override TimeSpan Retention => TimeSpan.FromDays(7);
}
