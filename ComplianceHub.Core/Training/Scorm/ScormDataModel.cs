using System.Globalization;
using System.Text.RegularExpressions;

namespace ComplianceHub.Core.Training.Scorm;

/// <summary>
/// The SCORM 1.2 run-time data model (the <c>cmi.*</c> elements a SCO may write), as the server checks what a player
/// commits: the element must exist and be writable, and its value must have the element's type (vocabulary, decimal,
/// time span, length). The browser's runtime (<c>scorm-runtime.js</c>) answers the SCO's calls with the same rules;
/// this is the authority.
/// </summary>
public static partial class ScormDataModel
{
    public static readonly IReadOnlySet<string> LessonStatuses = new HashSet<string>(StringComparer.Ordinal)
    {
        "passed", "completed", "failed", "incomplete", "browsed", "not attempted",
    };

    private static readonly HashSet<string> Exits = new(StringComparer.Ordinal) { "", "time-out", "suspend", "logout" };

    /// <summary>Most data a SCO may keep in the portal besides its suspend data (interactions, objectives, preferences).</summary>
    public const int MaxOtherData = 64 * 1024;

    /// <summary>
    /// Checks one element a SCO set. Returns null when it is acceptable, else what is wrong with it (as a person would
    /// read it).
    /// </summary>
    public static string? Check(string element, string value)
    {
        switch (element)
        {
            case "cmi.core.lesson_status":
                return value == "not attempted" || !LessonStatuses.Contains(value) ? $"\"{value}\" is not a lesson status a SCO may set" : null;
            case "cmi.core.lesson_location":
                return Length(value, 255);
            case "cmi.core.exit":
                return Exits.Contains(value) ? null : $"\"{value}\" is not an exit value (time-out, suspend, logout or empty)";
            case "cmi.core.session_time":
                return ParseTimespan(value) is null ? $"\"{value}\" is not a SCORM time span (HHHH:MM:SS.SS)" : null;
            case "cmi.core.score.raw":
            case "cmi.core.score.min":
            case "cmi.core.score.max":
                return value.Length == 0 || ParseScore(value) is not null ? null : $"\"{value}\" is not a score from 0 to 100";
            case "cmi.suspend_data":
                return Length(value, 4096);
            case "cmi.comments":
                return Length(value, 4096);
            case "cmi.student_preference.audio":
                return Integer(value, -1, 100);
            case "cmi.student_preference.speed":
                return Integer(value, -100, 100);
            case "cmi.student_preference.text":
                return Integer(value, -1, 1);
            case "cmi.student_preference.language":
                return Length(value, 255);
        }

        if (ObjectiveOrInteraction().Match(element) is { Success: true })
        {
            return Length(value, 4096);
        }

        return $"{element} is not an element a SCO can set";
    }

    /// <summary>A CMITimespan (HHHH:MM:SS, optional hundredths) as a duration, or null.</summary>
    public static TimeSpan? ParseTimespan(string value)
    {
        var match = Timespan().Match(value);
        if (!match.Success)
        {
            return null;
        }

        var seconds = double.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture);
        var minutes = int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture);
        return minutes > 59 || seconds >= 60
            ? null
            : TimeSpan.FromHours(int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture)) + TimeSpan.FromMinutes(minutes) + TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A duration as SCORM 1.2 writes it: HHHH:MM:SS.SS.</summary>
    public static string FormatTimespan(TimeSpan value)
    {
        var hours = (long)value.TotalHours;
        return string.Create(CultureInfo.InvariantCulture, $"{Math.Min(hours, 9999):0000}:{value.Minutes:00}:{value.Seconds + value.Milliseconds / 1000.0:00.00}");
    }

    /// <summary>A score element's value (CMIDecimal from 0 to 100), or null.</summary>
    public static decimal? ParseScore(string value) =>
        decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var score) && score is >= 0 and <= 100
            ? score
            : null;

    private static string? Length(string value, int max) => value.Length <= max ? null : $"{value.Length:N0} characters is longer than the {max:N0} allowed";

    private static string? Integer(string value, int min, int max) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? null : $"\"{value}\" is not a whole number from {min} to {max}";

    [GeneratedRegex(@"^(?<h>\d{2,4}):(?<m>\d{2}):(?<s>\d{2}(\.\d{1,2})?)$")]
    private static partial Regex Timespan();

    [GeneratedRegex(@"^cmi\.(objectives\.\d{1,3}\.(id|score\.(raw|min|max)|status)|interactions\.\d{1,3}\.(id|time|type|weighting|student_response|result|latency|objectives\.\d{1,3}\.id|correct_responses\.\d{1,3}\.pattern))$")]
    private static partial Regex ObjectiveOrInteraction();
}
