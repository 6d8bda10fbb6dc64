using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Search;
using ComplianceHub.Web.Components.Shared;

namespace ComplianceHub.Web.Components.Pages.Archive;

/// <summary>
/// The search page's fields, bound as they are typed: the one place that turns them into a search
/// (<see cref="ToCriteria"/>) and a saved search back into them (<see cref="From"/>). Dates are UTC
/// calendar days, the last one included.
/// </summary>
public sealed class SearchForm
{
    public string? Text { get; set; }
    public string? Participant { get; set; }
    public string? Sender { get; set; }
    public string? Custodian { get; set; }
    public long? ConversationId { get; set; }
    public DateTime? FromDay { get; set; }
    public DateTime? ToDay { get; set; }
    public IReadOnlyCollection<MessageCategory> Categories { get; set; } = [];
    public MessageSource? Source { get; set; }
    public bool? HasAttachments { get; set; }
    public bool? OnLegalHold { get; set; }
    public SearchOrder Order { get; set; }

    public MessageSearchCriteria ToCriteria() => new()
    {
        Text = Text,
        Participant = Participant,
        Sender = Sender,
        Custodian = Custodian,
        ConversationIds = ConversationId is { } id ? [id] : [],
        From = Formats.UtcDayStart(FromDay),
        Until = Formats.UtcDayAfter(ToDay),
        Categories = Categories.ToList(),
        Source = Source,
        HasAttachments = HasAttachments,
        OnLegalHold = OnLegalHold,
        Order = Order,
    };

    public static SearchForm From(MessageSearchCriteria criteria) => new()
    {
        Text = criteria.Text,
        Participant = criteria.Participant,
        Sender = criteria.Sender,
        Custodian = criteria.Custodian,
        ConversationId = criteria.ConversationIds.Count > 0 ? criteria.ConversationIds[0] : null,
        FromDay = criteria.From?.UtcDateTime.Date,
        ToDay = criteria.Until?.UtcDateTime.AddDays(-1).Date,
        Categories = criteria.Categories.ToList(),
        Source = criteria.Source,
        HasAttachments = criteria.HasAttachments,
        OnLegalHold = criteria.OnLegalHold,
        Order = criteria.Order,
    };
}
