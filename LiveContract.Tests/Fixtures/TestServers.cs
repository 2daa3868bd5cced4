namespace LiveContract.Tests.Fixtures;

/// <summary>
/// The real servers the tests use, started by <c>./test.sh</c> and named in environment variables.
/// A missing server fails the test that needs it with a sentence saying so; nothing is skipped.
/// </summary>
public static class TestServers
{
    /// <summary>Connection string of a PostgreSQL superuser (databases are created per test).</summary>
    public static string PostgresAdmin => Require("LIVECONTRACT_TEST_POSTGRES", "a PostgreSQL server");

    /// <summary>An SMTP sink (aiosmtpd) as host:port; what it receives lands in <see cref="Maildir"/>.</summary>
    public static (string Host, int Port) Smtp
    {
        get
        {
            var value = Require("LIVECONTRACT_TEST_SMTP", "an SMTP sink");
            var colon = value.LastIndexOf(':');
            return (value[..colon], int.Parse(value[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public static string Maildir => Require("LIVECONTRACT_TEST_MAILDIR", "the SMTP sink's Maildir");

    /// <summary>The service URL of an S3-compatible server (s3rver); its access key and secret are both <c>S3RVER</c>.</summary>
    public static string S3 => Require("LIVECONTRACT_TEST_S3", "an S3 server (s3rver)");

    /// <summary>A Redis server as host:port, shared by every test (use a key prefix or database of your own); tests that restart Redis start their own with <c>redis-server</c>.</summary>
    public static string Redis => Require("LIVECONTRACT_TEST_REDIS", "a Redis server");

    public static string Chromium => Environment.GetEnvironmentVariable("LIVECONTRACT_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static string Require(string variable, string what) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set, and this test needs {what}. Run the tests with ./test.sh, which starts one.");
}
