namespace ComplianceHub.Core.Archive;

/// <summary>Media types for the file kinds WhatsApp exports carry (whatsapp-formats.md §1.5).</summary>
public static class MediaTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".png"] = "image/png",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".heic"] = "image/heic",
        [".mp4"] = "video/mp4",
        [".mov"] = "video/quicktime",
        [".3gp"] = "video/3gpp",
        [".opus"] = "audio/ogg",
        [".ogg"] = "audio/ogg",
        [".m4a"] = "audio/mp4",
        [".mp3"] = "audio/mpeg",
        [".aac"] = "audio/aac",
        [".pdf"] = "application/pdf",
        [".vcf"] = "text/vcard",
        [".txt"] = "text/plain",
        [".csv"] = "text/csv",
        [".doc"] = "application/msword",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xls"] = "application/vnd.ms-excel",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".ppt"] = "application/vnd.ms-powerpoint",
        [".pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        [".zip"] = "application/zip",
    };

    /// <summary>The usual extension for a media type (its parameters ignored), or "" when unknown.</summary>
    public static string ExtensionFor(string mediaType)
    {
        var bare = mediaType.Split(';', 2)[0].Trim();
        return bare switch
        {
            "image/jpeg" => ".jpg",
            "audio/ogg" => ".ogg",
            _ => ByExtension.FirstOrDefault(p => string.Equals(p.Value, bare, StringComparison.OrdinalIgnoreCase)).Key ?? "",
        };
    }

    public static string FromFileName(string fileName) =>
        ByExtension.TryGetValue(Path.GetExtension(fileName), out var type) ? type : "application/octet-stream";
}
