namespace ComplianceHub.Core.Archive;

/// <summary>A file a message carries; its bytes live in the blob store under <see cref="Sha256"/>.</summary>
public sealed class ChatAttachment
{
    private ChatAttachment()
    {
    }

    internal ChatAttachment(int ordinal, string fileName, string mediaType, long? length, string? sha256, AttachmentStatus status)
    {
        Ordinal = ordinal;
        FileName = fileName;
        MediaType = mediaType;
        Length = length;
        Sha256 = sha256;
        Status = status;
    }

    public long Id { get; private set; }
    public long MessageId { get; private set; }

    /// <summary>Order among the message's attachments, from 0.</summary>
    public int Ordinal { get; private set; }

    public string FileName { get; private set; } = "";
    public string MediaType { get; private set; } = "";
    public long? Length { get; private set; }

    /// <summary>Lowercase hex SHA-256 of the bytes and their blob-store address; null when missing.</summary>
    public string? Sha256 { get; private set; }

    public AttachmentStatus Status { get; private set; }
}
