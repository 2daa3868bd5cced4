using System.Collections.Concurrent;
using System.Reflection;
using Xunit.Sdk;

[assembly: LiveContract.Tests.E2E.ContentSecurityPolicyWatch]

namespace LiveContract.Tests.E2E;

/// <summary>
/// Fails every test during which a browser page reported a Content Security Policy violation: the
/// <c>securitypolicyviolation</c> events of the page (listened to by <see cref="InitScript"/>) and
/// the browser's console errors about the policy, which also cover what a worker was refused.
/// Applied to the whole assembly; <see cref="BrowserFixture"/> attaches each browser context to the
/// test that creates it.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class ContentSecurityPolicyWatch : BeforeAfterTestAttribute
{
    public const string BindingName = "__liveContractCspViolation";

    /// <summary>Runs in every document before its own scripts and reports each violation to the test.</summary>
    public const string InitScript = $$"""
        document.addEventListener("securitypolicyviolation", e => window.{{BindingName}}(
            `${e.effectiveDirective} refused ${e.blockedURI || "(inline)"} at ${e.sourceFile || e.documentURI}:${e.lineNumber}: ${e.originalPolicy}`));
        """;

    private static readonly AsyncLocal<Violations?> Running = new();

    /// <summary>The violations of the running test.</summary>
    public static Violations Current =>
        Running.Value ?? throw new InvalidOperationException("No test is running under ContentSecurityPolicyWatch, so a browser page's policy violations would go unnoticed.");

    public override void Before(MethodInfo methodUnderTest) => Running.Value = new Violations();

    public override void After(MethodInfo methodUnderTest)
    {
        var violations = Running.Value?.All ?? [];
        Running.Value = null;
        if (violations.Count > 0)
        {
            throw new XunitException($"The browser reported {violations.Count} Content Security Policy violation(s):{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
        }
    }

    /// <summary>What the pages of one test reported.</summary>
    public sealed class Violations
    {
        private readonly ConcurrentQueue<string> reported = new();

        public IReadOnlyList<string> All => [.. reported];

        public void Report(string violation) => reported.Enqueue(violation);

        /// <summary>The violations reported so far, which no longer fail the test: for a test that provokes one on purpose.</summary>
        public IReadOnlyList<string> TakeAll()
        {
            var taken = new List<string>();
            while (reported.TryDequeue(out var violation))
            {
                taken.Add(violation);
            }

            return taken;
        }
    }
}
