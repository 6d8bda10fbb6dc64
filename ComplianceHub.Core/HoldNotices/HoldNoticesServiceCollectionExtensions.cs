using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.HoldNotices;

public static class HoldNoticesServiceCollectionExtensions
{
    public static IServiceCollection AddHoldNotices(this IServiceCollection services) => services.AddSingleton<HoldNoticeService>();
}
