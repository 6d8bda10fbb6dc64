using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Storage;
using ComplianceHub.Web.Endpoints;
using ComplianceHub.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>bench webhook [--seconds N] [--clients N] [--with-flood] [--json]</c>: starts the real portal on loopback with a
/// throw-away SQLite archive, posts signed Cloud API payloads from concurrent clients (some carrying
/// several messages, some redelivered as Meta does), then waits until everything is archived and
/// checks every message id was stored exactly once. With <c>--with-flood</c>, 16 more clients post unsigned
/// payloads as fast as they are answered for the whole measured time: the signed figures are those under the flood.
/// </summary>
internal static class WebhookBenchmark
{
    private const int DefaultSeconds = 20;
    private const int DefaultClients = 24;
    private const string PhoneNumberId = "100000000000001";
    private const int FloodClients = 16;

    private static readonly string[] Words =
    [
        "order", "price", "confirm", "shipment", "invoice", "client", "trade", "bond", "settlement", "meeting",
        "tomorrow", "please", "thanks", "call", "update", "contract", "delivery", "approve", "limit", "quote",
    ];

    public static async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var args = context.Arguments;
        var seconds = PositiveInt(args.Value("seconds"), "seconds", DefaultSeconds);
        var clients = PositiveInt(args.Value("clients"), "clients", DefaultClients);
        // The portal runs here as it does in production: with concurrent GC, not the batch mode CLI verbs use.
        System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Interactive;
        var work = Path.Combine(Path.GetTempPath(), "compliancehub-bench-" + Guid.NewGuid().ToString("N"));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        Directory.CreateDirectory(work);
        try
        {
            var app = PortalApplication.Build(
            [
                "--environment", "Production",
                "--urls", "http://127.0.0.1:0",
                $"--{StorageSettings.DataDirectoryKey}={work}",
                $"--{StorageSettings.ProviderKey}=Sqlite",
                "--ComplianceHub:SeedDemoData=false",
                $"--WhatsApp:AppSecret={secret}",
                "--WhatsApp:VerifyToken=bench",
                $"--WhatsApp:BusinessNumbers:0:PhoneNumberId={PhoneNumberId}",
                "--WhatsApp:BusinessNumbers:0:CustodianEmail=bench@example.com",
                "--Logging:LogLevel:Default=Warning",
                "--Logging:Console:LogToStandardErrorThreshold=Trace",
                "--Logging:LogLevel:ComplianceHub.Webhook=Error",
            ]);
            await app.StartAsync(ct);
            try
            {
                var address = app.Urls.First();
                await Progress(context, $"portal on {address}; {clients} clients for {seconds} s");
                var flood = args.HasFlag("with-flood") ? FloodClients : 0;
                var run = await DriveAsync(app.Services, new Uri(address + WhatsAppWebhookEndpoints.Path), secret, clients, flood, TimeSpan.FromSeconds(seconds), ct);
                await Progress(context, $"sent {run.Requests:N0} requests ({run.UniqueIds.Count:N0} messages, {run.Redeliveries:N0} redeliveries); waiting for the backlog");
                var check = await CheckAsync(app.Services, run, ct);
                return await ReportAsync(context, run, check);
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                BenchCommand.DeleteWork(work);
            }
            catch (IOException)
            {
                // A file still open leaves a temporary folder behind; the figures stand.
            }
        }
    }

    private sealed record Run(
        int Requests, int Redeliveries, int Failures, List<double> LatenciesMs, HashSet<string> UniqueIds, double Seconds, long WarmUpLastId)
    {
        /// <summary>Unsigned requests sent during the measured time (with --with-flood), and how many were answered 429.</summary>
        public int FloodRequests { get; init; }

        public int FloodThrottled { get; init; }
    }

    private sealed record Check(int Stored, int Lost, int Duplicates, double LagP99Ms, double DrainSeconds);

    private static async Task<Run> DriveAsync(
        IServiceProvider services, Uri endpoint, string secret, int clients, int floodClients, TimeSpan duration, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });

        // Warm-up: JIT, connections and the query cache of both the endpoint and the processor; not measured.
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            for (var i = 0; i < 20; i++)
            {
                var body = Payload([$"wamid.warmup.{client}.{i}"], i);
                using var warm = await PostAsync(http, endpoint, WebhookSignatureVerifier.Sign(body, secret), body, ct);
            }
        }));
        await DrainAsync(services, ct);
        long warmUpLastId;
        await using (var db = await services.GetRequiredService<IDbContextFactory<ComplianceHubDbContext>>().CreateDbContextAsync(ct))
        {
            warmUpLastId = await db.WebhookDeliveries.MaxAsync(d => d.Id, ct);
        }

        // Payloads and signatures are made before the clock starts: the load generator shares the two
        // cores with the portal and should spend them on sending, not on building requests.
        var perClient = (int)Math.Min(200_000, duration.TotalSeconds * 400 + 1000);
        var prepared = Enumerable.Range(0, clients).Select(client => new ClientLoad(client, secret)).ToArray();
        Parallel.ForEach(prepared, load => load.Prepare(perClient));

        var started = Stopwatch.StartNew();
        using var floodHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(1, floodClients), PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
        var unsigned = "sha256=" + new string('0', 64);
        var flood = Task.WhenAll(Enumerable.Range(0, floodClients).Select(client => Task.Run(async () =>
        {
            int sent = 0, throttled = 0;
            var body = Payload([$"wamid.flood.{client}"], client);
            while (started.Elapsed < duration)
            {
                using var response = await PostAsync(floodHttp, endpoint, unsigned, body, ct);
                sent++;
                throttled += (int)response.StatusCode == 429 ? 1 : 0;
            }

            return (sent, throttled);
        }, ct)));
        var results = await Task.WhenAll(prepared.Select(load => Task.Run(async () =>
        {
            var latencies = new List<double>(capacity: perClient);
            int requests = 0, redeliveries = 0, failures = 0;
            while (started.Elapsed < duration)
            {
                var (body, signature, isRedelivery) = load.Next();
                redeliveries += isRedelivery ? 1 : 0;
                var timer = Stopwatch.StartNew();
                using var response = await PostAsync(http, endpoint, signature, body, ct);
                latencies.Add(timer.Elapsed.TotalMilliseconds);
                requests++;
                if (!response.IsSuccessStatusCode)
                {
                    failures++;
                }
            }

            return (latencies, ids: load.SentIds, requests, redeliveries, failures);
        }, ct)));
        var elapsed = started.Elapsed.TotalSeconds;
        var flooded = await flood;

        return new Run(
            results.Sum(r => r.requests), results.Sum(r => r.redeliveries), results.Sum(r => r.failures),
            results.SelectMany(r => r.latencies).ToList(), results.SelectMany(r => r.ids).ToHashSet(StringComparer.Ordinal), elapsed, warmUpLastId)
        {
            FloodRequests = flooded.Sum(f => f.sent),
            FloodThrottled = flooded.Sum(f => f.throttled),
        };
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, Uri endpoint, string signature, byte[] body, CancellationToken ct)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.TryAddWithoutValidation(WebhookSignatureVerifier.HeaderName, signature);
        return await http.PostAsync(endpoint, content, ct);
    }

    /// <summary>One client's signed deliveries, made in advance: mostly one message, one in ten a batch of five, one in fifty a redelivery.</summary>
    private sealed class ClientLoad(int client, string secret)
    {
        private readonly Random _random = new(client);
        private readonly List<(byte[] Body, string Signature, bool IsRedelivery, string[] Ids)> _deliveries = [];
        private int _next;
        private int _sequence;

        public List<string> SentIds { get; } = [];

        public void Prepare(int count)
        {
            for (var i = 0; i < count; i++)
            {
                if (_deliveries.Count > 0 && _random.Next(50) == 0)
                {
                    var earlier = _deliveries[_random.Next(_deliveries.Count)];
                    _deliveries.Add((earlier.Body, earlier.Signature, true, []));
                    continue;
                }

                var ids = Enumerable.Range(0, _random.Next(10) == 0 ? 5 : 1).Select(_ => $"wamid.bench.{client}.{_sequence++}").ToArray();
                var body = Payload(ids, _random.Next());
                _deliveries.Add((body, WebhookSignatureVerifier.Sign(body, secret), false, ids));
            }
        }

        public (byte[] Body, string Signature, bool IsRedelivery) Next()
        {
            if (_next == _deliveries.Count)
            {
                Prepare(1000);
            }

            var delivery = _deliveries[_next++];
            SentIds.AddRange(delivery.Ids);
            return (delivery.Body, delivery.Signature, delivery.IsRedelivery);
        }
    }

    /// <summary>Waits until the inbox is drained, then compares what was sent with what is stored.</summary>
    private static async Task<Check> CheckAsync(IServiceProvider services, Run run, CancellationToken ct)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<ComplianceHubDbContext>>();
        var drainSeconds = await DrainAsync(services, ct);
        await using var read = await dbFactory.CreateDbContextAsync(ct);
        var stored = await read.ChatMessages.Where(m => m.ExternalId != null && m.ExternalId.StartsWith("wamid.bench.")).Select(m => m.ExternalId!).ToListAsync(ct);
        var storedSet = stored.ToHashSet(StringComparer.Ordinal);

        // Lag until searchable: a delivery is committed with its search index entries in one transaction.
        var lags = await read.WebhookDeliveries.Where(d => d.Id > run.WarmUpLastId && d.ProcessedAt != null).Select(d => new { d.ReceivedAt, d.ProcessedAt }).ToListAsync(ct);
        var lagMs = lags.Select(l => (l.ProcessedAt!.Value - l.ReceivedAt).TotalMilliseconds).ToList();

        return new Check(
            storedSet.Count, run.UniqueIds.Count(id => !storedSet.Contains(id)), stored.Count - storedSet.Count,
            BenchStatistics.Percentile(lagMs, 0.99), drainSeconds);
    }

    /// <summary>Waits until no delivery is pending; returns how long that took.</summary>
    private static async Task<double> DrainAsync(IServiceProvider services, CancellationToken ct)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<ComplianceHubDbContext>>();
        var drain = Stopwatch.StartNew();
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (!await db.WebhookDeliveries.AnyAsync(d => d.Status == WebhookDeliveryStatus.Pending, ct))
            {
                return drain.Elapsed.TotalSeconds;
            }

            if (drain.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new InvalidOperationException("The inbox did not drain within 5 minutes.");
            }

            await Task.Delay(20, ct);
        }
    }

    private static async Task<int> ReportAsync(CliContext context, Run run, Check check)
    {
        var requestsPerSecond = run.Requests / run.Seconds;
        var messagesPerSecond = run.UniqueIds.Count / run.Seconds;
        var p50 = BenchStatistics.Percentile(run.LatenciesMs, 0.50);
        var p99 = BenchStatistics.Percentile(run.LatenciesMs, 0.99);
        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(new
            {
                requestsPerSecond = Math.Round(requestsPerSecond),
                messagesPerSecond = Math.Round(messagesPerSecond),
                p50Ms = Math.Round(p50, 2),
                p99Ms = Math.Round(p99, 2),
                lagP99Ms = Math.Round(check.LagP99Ms, 1),
                sent = run.UniqueIds.Count,
                stored = check.Stored,
                duplicates = check.Duplicates,
                floodRequests = run.FloodRequests,
                floodRequestsPerSecond = Math.Round(run.FloodRequests / run.Seconds),
                floodThrottled = run.FloodThrottled,
            });
        }
        else
        {
            var culture = CultureInfo.InvariantCulture;
            await context.Out.WriteLineAsync(string.Create(culture, $"requests:                 {run.Requests:N0} in {run.Seconds:N1} s ({run.Redeliveries:N0} redeliveries, {run.Failures:N0} non-200)"));
            await context.Out.WriteLineAsync(string.Create(culture, $"sustained:                {requestsPerSecond:N0} requests/s, {messagesPerSecond:N0} messages/s"));
            await context.Out.WriteLineAsync(string.Create(culture, $"latency (signed POST):    p50 {p50:N2} ms, p99 {p99:N2} ms"));
            await context.Out.WriteLineAsync(string.Create(culture, $"lag until searchable:     p99 {check.LagP99Ms:N1} ms (backlog drained {check.DrainSeconds:N1} s after the last request)"));
            await context.Out.WriteLineAsync(string.Create(culture, $"messages:                 {run.UniqueIds.Count:N0} sent, {check.Stored:N0} stored, {check.Lost:N0} lost, {check.Duplicates:N0} duplicated"));
            if (run.FloodRequests > 0)
            {
                await context.Out.WriteLineAsync(string.Create(culture,
                    $"flood (unsigned):         {run.FloodRequests:N0} requests from {FloodClients} clients ({run.FloodRequests / run.Seconds:N0}/s, {run.FloodThrottled:N0} answered 429)"));
            }

            await context.Out.WriteLineAsync("goal (2 cores, SQLite):   >= 2,000 requests/s, p99 < 50 ms, none lost or duplicated");
        }

        // The figures are reported either way; only a lost or duplicated message is a failure.
        return check.Lost == 0 && check.Duplicates == 0 && run.Failures == 0 ? 0 : 1;
    }

    private static byte[] Payload(IReadOnlyList<string> ids, int seed)
    {
        var random = new Random(seed);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_767_225_600 + (seed & 0xFFFFF));
        var builder = new StringBuilder(512);
        builder.Append("""{"object":"whatsapp_business_account","entry":[{"id":"200000000000001","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":""")
            .Append('"').Append(PhoneNumberId).Append("\"},\"contacts\":[");
        var customers = ids.Select(_ => 447_700_900_000L + random.Next(200)).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            builder.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$"""{"profile":{"name":"Customer {{customers[i] % 1000}}"},"wa_id":"{{customers[i]}}"}""");
        }

        builder.Append("],\"messages\":[");
        for (var i = 0; i < ids.Count; i++)
        {
            var words = string.Join(' ', Enumerable.Range(0, 4 + random.Next(20)).Select(_ => Words[random.Next(Words.Length)]));
            builder.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"from":"{{customers[i]}}","id":"{{ids[i]}}","timestamp":"{{now.ToUnixTimeSeconds()}}","type":"text","text":{"body":"{{words}}""")
                .Append("\"}}");
        }

        builder.Append("]},\"field\":\"messages\"}]}]}");
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static int PositiveInt(string? text, string name, int fallback) =>
        text is null ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new CliUsageException($"--{name} is '{text}'; expected a positive whole number");

    private static Task Progress(CliContext context, string line) =>
        context.Arguments.Json ? Task.CompletedTask : context.Error.WriteLineAsync("bench: " + line);
}
