using System.ComponentModel.DataAnnotations;

namespace ComplianceHub.Core.Notifications;

/// <summary>How often reminders go out (<c>Notifications:*</c>).</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>An item still to do is reminded once per this many days (the first reminder as soon as it is due to be done).</summary>
    [Range(1, 90)]
    public int ReminderIntervalDays { get; set; } = 7;
}

/// <summary>
/// The SMTP server e-mail copies go through (<c>Notifications:Smtp:*</c>; the password from the environment,
/// <c>Notifications__Smtp__Password</c>). Without a host, notifications are in-app only.
/// </summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Notifications:Smtp";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>"Auto" (STARTTLS when the server offers it, TLS on port 465), "StartTls", "Tls" or "None".</summary>
    [RegularExpression("^(Auto|StartTls|Tls|None)$", ErrorMessage = "Notifications:Smtp:Security must be Auto, StartTls, Tls or None.")]
    public string Security { get; set; } = "Auto";

    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender, e.g. "ComplianceHub &lt;compliance@example.com&gt;".</summary>
    public string From { get; set; } = "ComplianceHub <compliancehub@localhost>";

    /// <summary>The portal's public address, to make links in e-mails absolute (e.g. https://compliance.example.com/).</summary>
    public string? PortalUrl { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}
