using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Archive.Capture;

/// <summary>How one configured business number's capture is doing.</summary>
public sealed record BusinessNumberActivity(
    string PhoneNumberId, string? DisplayPhoneNumber, string? Label, string? CustodianEmail, DateTimeOffset? LastMessageAt,
    long MessagesTotal, IReadOnlyList<DailyCount> MessagesPerDay, bool IsSilent);

public sealed record DailyCount(DateOnly Day, int Count);

public sealed record FailedDeliveryRow(long Id, DateTimeOffset ReceivedAt, int Attempts, string? Error, int Length);

public sealed record RejectionRow(DateTimeOffset ReceivedAt, string Reason, string? RemoteAddress)
{
    /// <summary>How many requests the row stands for, the last of them at <see cref="LastAt"/>.</summary>
    public int Count { get; init; } = 1;

    public DateTimeOffset LastAt { get; init; } = ReceivedAt;
}

public sealed record MediaDownloadRow(
    long Id, string MediaId, string FileName, long ConversationId, string ConversationTitle, MediaDownloadStatus Status,
    int Attempts, DateTimeOffset NextAttemptAt, string? LastError);

/// <summary>The operator's view of live capture.</summary>
public sealed record CaptureOverview(
    bool IsConfigured, TimeSpan SilenceWarningAfter, IReadOnlyList<BusinessNumberActivity> Numbers, IReadOnlyList<string> UnconfiguredNumberIds,
    int Backlog, DateTimeOffset? OldestPendingAt, int ProcessedLast24Hours, int FailedCount, IReadOnlyList<FailedDeliveryRow> FailedDeliveries,
    int RejectionsLast24Hours, int RejectionsLast7Days, IReadOnlyList<RejectionRow> RecentRejections,
    int MediaPending, int MediaFailedCount, IReadOnlyList<MediaDownloadRow> MediaAttention);

/// <summary>A configured number that has gone quiet: capture may be broken.</summary>
public sealed record SilentNumber(string PhoneNumberId, string Name, DateTimeOffset? LastMessageAt);

/// <summary>Read-only figures about the webhook capture for the operator page and the dashboard.</summary>
public sealed class CaptureMonitor(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, IOptionsMonitor<WhatsAppOptions> options, WebhookRefusals refusals, TimeProvider clock)
{
    private const int DaysShown = 14;
    private const int RowsShown = 50;

    public async Task<CaptureOverview> GetOverviewAsync(CancellationToken ct = default)
    {
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow();
        await refusals.FlushAsync(ct); // refusals counted since the capture worker's last pass are shown too
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var numbers = new List<BusinessNumberActivity>();
        foreach (var number in settings.BusinessNumbers)
        {
            var messages = CapturedOn(db, number.PhoneNumberId);
            var last = await LastMessageAtAsync(db, number.PhoneNumberId, ct);
            var perDay = new List<DailyCount>();
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            for (var i = DaysShown - 1; i >= 0; i--)
            {
                var day = today.AddDays(-i);
                var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                var to = from.AddDays(1);
                perDay.Add(new DailyCount(day, await messages.CountAsync(m => m.SentAt >= from && m.SentAt < to, ct)));
            }

            numbers.Add(new BusinessNumberActivity(
                number.PhoneNumberId, number.DisplayPhoneNumber, number.Label, number.CustodianEmail, last,
                await messages.LongCountAsync(ct), perDay, IsSilent(last, now, settings)));
        }

        var configured = settings.BusinessNumbers.Select(n => n.PhoneNumberId).ToList();
        var unconfigured = await db.Conversations
            .Where(c => c.BusinessPhoneNumberId != null && !configured.Contains(c.BusinessPhoneNumberId))
            .Select(c => c.BusinessPhoneNumberId!).Distinct().OrderBy(id => id).ToListAsync(ct);

        var deliveries = db.WebhookDeliveries.AsNoTracking();
        var dayAgo = now.AddDays(-1);
        var weekAgo = now.AddDays(-7);
        var mediaAttention = await db.MediaDownloads.AsNoTracking()
            .Where(d => d.Status == MediaDownloadStatus.Failed || (d.Status == MediaDownloadStatus.Pending && d.Attempts > 0))
            .OrderByDescending(d => d.Id).Take(RowsShown)
            .Join(db.ChatAttachments, d => d.AttachmentId, a => a.Id, (d, a) => new { d, a })
            .Join(db.ChatMessages, x => x.a.MessageId, m => m.Id, (x, m) => new { x.d, x.a, m.ConversationId })
            .Join(db.Conversations, x => x.ConversationId, c => c.Id, (x, c) => new MediaDownloadRow(
                x.d.Id, x.d.MediaId, x.a.FileName, c.Id, c.Title, x.d.Status, x.d.Attempts, x.d.NextAttemptAt, x.d.LastError))
            .ToListAsync(ct);

        return new CaptureOverview(
            settings.IsConfigured, settings.SilenceWarningAfter, numbers, unconfigured,
            await deliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Pending, ct),
            await deliveries.Where(d => d.Status == WebhookDeliveryStatus.Pending).OrderBy(d => d.Id).Select(d => (DateTimeOffset?)d.ReceivedAt).FirstOrDefaultAsync(ct),
            await deliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Processed && d.ReceivedAt >= dayAgo, ct),
            await deliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Failed, ct),
            await deliveries.Where(d => d.Status == WebhookDeliveryStatus.Failed).OrderByDescending(d => d.Id).Take(RowsShown)
                .Select(d => new FailedDeliveryRow(d.Id, d.ReceivedAt, d.Attempts, d.Error, d.Body.Length)).ToListAsync(ct),
            await db.WebhookRejections.Where(r => r.LastAt >= dayAgo).SumAsync(r => r.Count, ct),
            await db.WebhookRejections.Where(r => r.LastAt >= weekAgo).SumAsync(r => r.Count, ct),
            await db.WebhookRejections.AsNoTracking().OrderByDescending(r => r.Id).Take(RowsShown)
                .Select(r => new RejectionRow(r.ReceivedAt, r.Reason, r.RemoteAddress) { Count = r.Count, LastAt = r.LastAt }).ToListAsync(ct),
            await db.MediaDownloads.CountAsync(d => d.Status == MediaDownloadStatus.Pending, ct),
            await db.MediaDownloads.CountAsync(d => d.Status == MediaDownloadStatus.Failed, ct),
            mediaAttention);
    }

    /// <summary>Configured numbers with nothing captured for longer than <see cref="WhatsAppOptions.SilenceWarningAfter"/>.</summary>
    public async Task<IReadOnlyList<SilentNumber>> SilentNumbersAsync(CancellationToken ct = default)
    {
        var settings = options.CurrentValue;
        if (settings.BusinessNumbers.Count == 0)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var silent = new List<SilentNumber>();
        foreach (var number in settings.BusinessNumbers)
        {
            var last = await LastMessageAtAsync(db, number.PhoneNumberId, ct);
            if (IsSilent(last, now, settings))
            {
                silent.Add(new SilentNumber(number.PhoneNumberId, number.Label ?? number.DisplayPhoneNumber ?? number.PhoneNumberId, last));
            }
        }

        return silent;
    }

    private static bool IsSilent(DateTimeOffset? last, DateTimeOffset now, WhatsAppOptions settings) =>
        last is null || now - last.Value > settings.SilenceWarningAfter;

    private static IQueryable<ChatMessage> CapturedOn(ComplianceHubDbContext db, string phoneNumberId) =>
        db.ChatMessages.AsNoTracking()
            .Where(m => m.Source == MessageSource.Webhook)
            .Join(db.Conversations.Where(c => c.BusinessPhoneNumberId == phoneNumberId), m => m.ConversationId, c => c.Id, (m, _) => m);

    /// <summary>When the newest message captured on a number was sent (walks the time index from the end).</summary>
    private static Task<DateTimeOffset?> LastMessageAtAsync(ComplianceHubDbContext db, string phoneNumberId, CancellationToken ct) =>
        CapturedOn(db, phoneNumberId).OrderByDescending(m => m.SentAt).Select(m => (DateTimeOffset?)m.SentAt).FirstOrDefaultAsync(ct);
}
