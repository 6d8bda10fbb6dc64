using ComplianceHub.Core.Roster;
using ComplianceHub.Web.Security;

namespace ComplianceHub.Web.Endpoints;

internal static class RosterEndpoints
{
    public static IEndpointRouteBuilder MapRosterEndpoints(this IEndpointRouteBuilder app)
    {
        // The roster in the import template's format (one row per number). Audited.
        app.MapGet("/roster/export", async (HttpContext context, RosterImportService roster) =>
            Results.File(System.Text.Encoding.UTF8.GetBytes(await roster.ExportCsvAsync(CurrentActor.From(context), context.RequestAborted)), "text/csv", "roster.csv"))
            .RequireAuthorization(AuthorizationPolicyNames.RosterRead);

        // Official groups' participants in their import template's format (one row per stay). Audited.
        app.MapGet("/roster/groups/export", async (HttpContext context, GroupParticipantImportService participants) =>
            Results.File(System.Text.Encoding.UTF8.GetBytes(await participants.ExportCsvAsync(CurrentActor.From(context), context.RequestAborted)), "text/csv", "group-participants.csv"))
            .RequireAuthorization(AuthorizationPolicyNames.RosterRead);

        return app;
    }
}
