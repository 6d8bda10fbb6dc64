using System.IO.Compression;
using System.Text;

namespace ComplianceHub.Tests.TestSupport;

/// <summary>
/// Small SCORM 1.2 packages built for tests: a manifest and one SCO page that finds the run-time API the way vendors'
/// packages do (walking up its parent windows), reads who is learning, and on a button finishes with a score. Variants
/// break one rule each.
/// </summary>
public static class ScormPackages
{
    public const string Sco = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>Off-channel communication</title>
        <script>
          function findAPI(win) { var hops = 0; while (!win.API && win.parent && win.parent !== win && hops < 10) { win = win.parent; hops++; } return win.API || null; }
          var api = findAPI(window);
          function start() {
            var state = document.getElementById('state');
            if (!api) { state.textContent = 'No LMS found'; return; }
            api.LMSInitialize('');
            state.textContent = 'Learner: ' + api.LMSGetValue('cmi.core.student_name') + '; entry: ' + api.LMSGetValue('cmi.core.entry')
              + '; bookmark: ' + (api.LMSGetValue('cmi.core.lesson_location') || 'none');
            api.LMSSetValue('cmi.core.lesson_status', 'incomplete');
            api.LMSSetValue('cmi.core.lesson_location', 'slide-2');
            api.LMSCommit('');
          }
          function finish(score) {
            api.LMSSetValue('cmi.core.score.min', '0');
            api.LMSSetValue('cmi.core.score.max', '100');
            api.LMSSetValue('cmi.core.score.raw', String(score));
            api.LMSSetValue('cmi.core.lesson_status', score >= 80 ? 'passed' : 'failed');
            api.LMSSetValue('cmi.core.session_time', '0000:02:30.00');
            api.LMSSetValue('cmi.core.exit', '');
            api.LMSCommit('');
            api.LMSFinish('');
            document.getElementById('state').textContent = 'Finished with ' + score;
          }
        </script></head>
        <body onload="start()">
          <h1>Off-channel communication</h1>
          <p><img src="images/logo.png" alt="logo"> Business is done on approved channels only.</p>
          <p id="state">Loading…</p>
          <button id="pass" onclick="finish(90)">Finish with 90</button>
          <button id="fail" onclick="finish(40)">Finish with 40</button>
        </body></html>
        """;

    /// <summary>A tiny PNG (1×1) to fetch as a package's asset.</summary>
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    public static string Manifest(string launch = "content/index.html", string? mastery = "80", string schema = "1.2", string scormType = "sco", int scos = 1) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <manifest identifier="com.example.offchannel" version="1"
                  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
                  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
          <metadata><schema>ADL SCORM</schema><schemaversion>{schema}</schemaversion></metadata>
          <organizations default="ORG-1">
            <organization identifier="ORG-1">
              <title>Off-channel communication</title>
              {string.Concat(Enumerable.Range(1, scos).Select(i => $"""
              <item identifier="ITEM-{i}" identifierref="RES-{i}">
                <title>Lesson {i}</title>
                {(mastery is null ? "" : $"<adlcp:masteryscore>{mastery}</adlcp:masteryscore>")}
                <adlcp:datafromlms>desk=rates</adlcp:datafromlms>
              </item>
              """))}
            </organization>
          </organizations>
          <resources>
            {string.Concat(Enumerable.Range(1, scos).Select(i => $"""
            <resource identifier="RES-{i}" type="webcontent" adlcp:scormtype="{scormType}" href="{launch}">
              <file href="{launch}" />
            </resource>
            """))}
          </resources>
        </manifest>
        """;

    /// <summary>A package as a zip: the files given (path to content), by default a working single-SCO course.</summary>
    public static byte[] Build(IReadOnlyDictionary<string, byte[]>? files = null)
    {
        files ??= Working();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                using var entry = zip.CreateEntry(path).Open();
                entry.Write(content);
            }
        }

        return buffer.ToArray();
    }

    public static Dictionary<string, byte[]> Working(string? mastery = "80") => new()
    {
        ["imsmanifest.xml"] = Encoding.UTF8.GetBytes(Manifest(mastery: mastery)),
        ["content/index.html"] = Encoding.UTF8.GetBytes(Sco),
        ["content/images/logo.png"] = Png,
    };
}
