using System.Globalization;

namespace LiveContract.LoadTest;

/// <summary>The command line of the load test: sub-command and settings, parsed by hand.</summary>
public sealed class LoadTestOptions
{
    public const string Usage = """
        LiveContract load test: the app's live-session hub against a raw SignalR relay.

          dotnet run -c Release --project benchmarks/LiveContract.LoadTest -- [options]
          dotnet run -c Release --project benchmarks/LiveContract.LoadTest -- fields [options]
          dotnet run -c Release --project benchmarks/LiveContract.LoadTest -- cluster [options]
          dotnet run -c Release --project benchmarks/LiveContract.LoadTest -- browser [options]
          dotnet run -c Release --project benchmarks/LiveContract.LoadTest -- admin [options]
          dotnet run -c Release --project benchmarks/LiveContract.LoadTest -- sealing [options]

        Options (hub load test):
          --sessions N        sessions (advisor + customer connection each), default 100
          --rate R            page changes per second per session, default 1
          --duration S        measured seconds, default 60
          --warmup S          seconds of the same load before measuring, default 10
          --skip-app          measure only the relay
          --skip-relay        measure only the app
        Options (fields: the hub load test on the app with the customers typing into fields, no relay):
          --typing-rate R     field-value batches per second per session (the customer typing), default 5
          --fields N          customer text fields per session, typed one after the other, default 2
        Options (cluster: deploy/cluster.sh's two instances on Redis behind HAProxy, each session's
                 advisor pinned to instance a and its customer to instance b; then the single
                 instance and the relay with the same pattern, unless skipped): the hub options.
        Options (browser):
          --changes N         page changes timed browser to browser, default 50
          --circuits N        Blazor circuits opened for the memory measurement, default 100
        Options (admin: the administration API on a large installation):
          --contracts N       contracts seeded (with documents, audit events, sessions, tokens), default 100000
          --iterations N      timed requests per endpoint, default 20
        Options (sealing: from the last signature to the signed PDF in the session, one contract at a time):
          --signings N        contracts signed with the customer on the hub, timed to contractSealed, default 20
          --browser-signings N  then contracts signed with the customer on the live view in Chromium,
                              timed to "Download signed PDF" on the page, default 5 (0: none)
        Common:
          --output FILE       also write the Markdown report to FILE
          --app-dir DIR       run an already published LiveContract.Web from DIR (skips dotnet publish)
          --keep-data         keep the throwaway data directories (their path is printed)
          --app-setting K=V   run the app with this setting (repeatable; e.g. LiveSessions:SaveInterval=00:00:10),
                              for experiments: the report names it
        """;

    public string Command { get; private set; } = "run";

    public int Sessions { get; private set; } = 100;

    public double Rate { get; private set; } = 1;

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(60);

    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(10);

    public bool SkipApp { get; private set; }

    public bool SkipRelay { get; private set; }

    public double TypingRate { get; private set; } = 5;

    public int FieldsPerSession { get; private set; } = 2;

    public int BrowserChanges { get; private set; } = 50;

    public int Circuits { get; private set; } = 100;

    public int Contracts { get; private set; } = 100_000;

    public int Iterations { get; private set; } = 20;

    public int Signings { get; private set; } = 20;

    public int BrowserSignings { get; private set; } = 5;

    public string? Output { get; private set; }

    public string? AppDirectory { get; internal set; }

    public bool KeepData { get; private set; }

    /// <summary>Settings the app runs with on top of the installation's (experiments only).</summary>
    public Dictionary<string, string> AppSettings { get; } = [];

    /// <summary>For <c>relay-server</c>: the address to listen on.</summary>
    public string? Urls { get; private set; }

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with a sentence naming the bad argument.</summary>
    public static LoadTestOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadTestOptions();
        var i = 0;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            options.Command = args[0] switch
            {
                "run" or "fields" or "cluster" or "browser" or "admin" or "sealing" or "relay-server" => args[0],
                _ => throw new ArgumentException($"Unknown command '{args[0]}': use run (the default), fields, cluster, browser, admin, sealing or relay-server."),
            };
            i = 1;
        }

        for (; i < args.Count; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "--sessions": options.Sessions = PositiveInt(name, Value(args, ref i)); break;
                case "--rate": options.Rate = PositiveDouble(name, Value(args, ref i)); break;
                case "--duration": options.Duration = TimeSpan.FromSeconds(PositiveDouble(name, Value(args, ref i))); break;
                case "--warmup": options.Warmup = TimeSpan.FromSeconds(NonNegativeDouble(name, Value(args, ref i))); break;
                case "--skip-app": options.SkipApp = true; break;
                case "--skip-relay": options.SkipRelay = true; break;
                case "--typing-rate": options.TypingRate = PositiveDouble(name, Value(args, ref i)); break;
                case "--fields": options.FieldsPerSession = PositiveInt(name, Value(args, ref i)); break;
                case "--changes": options.BrowserChanges = PositiveInt(name, Value(args, ref i)); break;
                case "--circuits": options.Circuits = NonNegativeInt(name, Value(args, ref i)); break;
                case "--contracts": options.Contracts = PositiveInt(name, Value(args, ref i)); break;
                case "--iterations": options.Iterations = PositiveInt(name, Value(args, ref i)); break;
                case "--signings": options.Signings = PositiveInt(name, Value(args, ref i)); break;
                case "--browser-signings": options.BrowserSignings = NonNegativeInt(name, Value(args, ref i)); break;
                case "--output": options.Output = Path.GetFullPath(Value(args, ref i)); break;
                case "--app-dir": options.AppDirectory = Path.GetFullPath(Value(args, ref i)); break;
                case "--keep-data": options.KeepData = true; break;
                case "--app-setting": options.AddAppSetting(Value(args, ref i)); break;
                case "--urls": options.Urls = Value(args, ref i); break;
                case "-h" or "--help": options.Command = "help"; break;
                default: throw new ArgumentException($"Unknown option '{name}'; run with --help to see the options.");
            }
        }

        if (options.SkipApp && options.SkipRelay && options.Command != "cluster")
        {
            throw new ArgumentException("--skip-app and --skip-relay together leave nothing to measure; drop one.");
        }

        if (options.Command == "relay-server" && options.Urls is null)
        {
            throw new ArgumentException("relay-server needs --urls, for example --urls http://127.0.0.1:5099.");
        }

        return options;
    }

    private void AddAppSetting(string setting)
    {
        var equals = setting.IndexOf('=', StringComparison.Ordinal);
        if (equals < 1)
        {
            throw new ArgumentException($"--app-setting takes Key=Value (for example LiveSessions:SaveInterval=00:00:10), not '{setting}'.");
        }

        AppSettings[setting[..equals].Replace(":", "__", StringComparison.Ordinal)] = setting[(equals + 1)..];
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a whole number above 0, not '{value}'.");

    private static int NonNegativeInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"{name} must be a whole number, 0 or more, not '{value}'.");

    private static double PositiveDouble(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a number above 0, not '{value}'.");

    private static double NonNegativeDouble(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new ArgumentException($"{name} must be a number, 0 or more, not '{value}'.");
}
