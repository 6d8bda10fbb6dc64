using System.Text.Json;
using ComplianceHub.Core.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Exports;

// Stored as numbers: never renumber.
public enum ExportJobStatus
{
    Queued = 0,
    Running = 1,
    Completed = 2,
    Failed = 3,
    Cancelled = 4,
}

public enum ExportSourceKind
{
    LegalHold = 0,
    Conversation = 1,
    Search = 2,
}

/// <summary>
/// A production asked for in the portal: what it covers and how it is numbered, its progress while it runs in the
/// background, and once complete the produced file (in the blob store, by its SHA-256) with its page count and
/// Bates range. Kept for the record; a file is downloaded through an audited endpoint.
/// </summary>
public sealed class ExportJob
{
    private ExportJob()
    {
    }

    internal ExportJob(ExportSource source, ExportFormat format, ExportSettings settings, string requestedBy, string? requestedById, DateTimeOffset at)
    {
        (SourceKind, SourceId) = Key(source);
        SearchCriteriaJson = source is ExportSource.Search search ? JsonSerializer.Serialize(search.Criteria) : null;
        Format = format.Name();
        TimeZoneId = settings.TimeZoneId;
        BatesPrefix = settings.BatesPrefix;
        BatesStart = settings.BatesStart;
        RequestedBy = requestedBy;
        RequestedById = requestedById;
        RequestedAt = at;
    }

    public long Id { get; private set; }
    public ExportSourceKind SourceKind { get; private set; }
    public long SourceId { get; private set; }

    /// <summary>A search production's words and filters (<see cref="MessageSearchCriteria"/> as JSON); null otherwise.</summary>
    public string? SearchCriteriaJson { get; private set; }

    /// <summary><c>pdf</c> (the transcript), <c>zip</c> (the e-discovery package) or <c>zip+pdf</c> (the package carrying the transcript).</summary>
    public string Format { get; private set; } = "";

    public ExportFormat FormatKind => ExportFormats.Parse(Format) ?? throw new InvalidOperationException($"Production {Id} has an unknown format '{Format}'.");

    public string TimeZoneId { get; private set; } = "";
    public string? BatesPrefix { get; private set; }
    public long BatesStart { get; private set; }
    public string RequestedBy { get; private set; } = "";
    public string? RequestedById { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }

    public ExportJobStatus Status { get; private set; }
    public bool CancelRequested { get; private set; }
    public int Done { get; private set; }
    public int Total { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public string? Error { get; private set; }

    public string? FileName { get; private set; }
    public string? Sha256 { get; private set; }
    public long? Length { get; private set; }
    public int? Pages { get; private set; }
    public string? BatesFirst { get; private set; }
    public string? BatesLast { get; private set; }

    /// <summary>A package's manifest SHA-256 (printed on its transcript's cover, signed when a certificate is configured).</summary>
    public string? ManifestSha256 { get; private set; }

    public ExportSource Source => SourceKind switch
    {
        ExportSourceKind.LegalHold => new ExportSource.LegalHold(SourceId),
        ExportSourceKind.Conversation => new ExportSource.Conversation(SourceId),
        _ => new ExportSource.Search(JsonSerializer.Deserialize<MessageSearchCriteria>(SearchCriteriaJson ?? "{}") ?? new MessageSearchCriteria()),
    };

    /// <summary>How a source is stored: its kind and id (a search has none: every search production is listed together).</summary>
    internal static (ExportSourceKind Kind, long Id) Key(ExportSource source) => source switch
    {
        ExportSource.LegalHold h => (ExportSourceKind.LegalHold, h.HoldId),
        ExportSource.Conversation c => (ExportSourceKind.Conversation, c.ConversationId),
        ExportSource.Search => (ExportSourceKind.Search, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    public ExportSettings Settings => new(TimeZoneId, BatesPrefix, BatesStart);

    public bool IsFinished => Status is ExportJobStatus.Completed or ExportJobStatus.Failed or ExportJobStatus.Cancelled;

    internal void Start(DateTimeOffset at)
    {
        Status = ExportJobStatus.Running;
        StartedAt = at;
        Done = 0;
        Error = null;
    }

    internal void Progress(int done, int total) => (Done, Total) = (done, total);

    internal void RequestCancel() => CancelRequested = true;

    internal void Complete(string fileName, ExportOutcome outcome, DateTimeOffset at)
    {
        Status = ExportJobStatus.Completed;
        FileName = fileName;
        Sha256 = outcome.Sha256;
        Length = outcome.Length;
        Pages = outcome.Pages;
        BatesFirst = outcome.FirstBates;
        BatesLast = outcome.LastBates;
        ManifestSha256 = outcome.Package?.ManifestSha256;
        Done = Total;
        FinishedAt = at;
    }

    internal void Fail(string error, DateTimeOffset at)
    {
        Status = ExportJobStatus.Failed;
        Error = error.Length > 2000 ? error[..2000] : error;
        FinishedAt = at;
    }

    internal void Cancel(DateTimeOffset at)
    {
        Status = ExportJobStatus.Cancelled;
        FinishedAt = at;
    }

    /// <summary>A job its process stopped running (a restart) goes back in the queue.</summary>
    internal void Requeue() => (Status, StartedAt, Done) = (ExportJobStatus.Queued, null, 0);
}

internal sealed class ExportJobConfiguration : IEntityTypeConfiguration<ExportJob>
{
    public void Configure(EntityTypeBuilder<ExportJob> builder)
    {
        builder.ToTable("ExportJobs");
        builder.Property(j => j.SourceKind).HasConversion<int>();
        builder.Property(j => j.Status).HasConversion<int>();
        builder.Property(j => j.Format).HasMaxLength(8).IsRequired();
        builder.Property(j => j.TimeZoneId).HasMaxLength(64).IsRequired();
        builder.Property(j => j.BatesPrefix).HasMaxLength(20);
        builder.Property(j => j.SearchCriteriaJson).HasMaxLength(8000);
        builder.Property(j => j.RequestedBy).HasMaxLength(256).IsRequired();
        builder.Property(j => j.RequestedById).HasMaxLength(450);
        builder.Property(j => j.Error).HasMaxLength(2000);
        builder.Property(j => j.FileName).HasMaxLength(256);
        builder.Property(j => j.Sha256).HasMaxLength(64).IsFixedLength();
        builder.Property(j => j.ManifestSha256).HasMaxLength(64).IsFixedLength();
        builder.Property(j => j.BatesFirst).HasMaxLength(40);
        builder.Property(j => j.BatesLast).HasMaxLength(40);
        builder.Ignore(j => j.Source);
        builder.Ignore(j => j.Settings);
        builder.Ignore(j => j.IsFinished);
        builder.Ignore(j => j.FormatKind);
        builder.HasIndex(j => new { j.Status, j.Id });
        builder.HasIndex(j => new { j.SourceKind, j.SourceId });
    }
}
