using System.Collections.Concurrent;
using System.Globalization;
using LiveContract.Core.Accounts;
using LiveContract.Core.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LiveContract.Web.Features.Accounts;

/// <summary>
/// The per-account back-off of the login form (section <c>LoginBackoff</c>): after
/// <see cref="FreeFailures"/> failed sign-ins with one email from one client address, that
/// address waits <see cref="FirstDelay"/> before it may try that email again, twice as long after
/// each further failure, at most <see cref="MaxDelay"/>. It counts per email and address, so
/// failures from elsewhere never keep the real person out, and it counts every email alike,
/// whether an account has it or not.
/// </summary>
public sealed class LoginBackoffOptions
{
    public const string Section = "LoginBackoff";

    /// <summary>How many failed sign-ins may follow each other without a wait; the first wait starts after the last of them.</summary>
    public int FreeFailures { get; set; } = 5;

    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    public void Validate()
    {
        if (FreeFailures < 1)
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(FreeFailures)} is {FreeFailures}; set it to how many failed sign-ins may follow each other without a wait, such as 5.");
        }

        if (FirstDelay <= TimeSpan.Zero || MaxDelay < FirstDelay)
        {
            throw new ConfigurationErrorException($"{Section}:{nameof(FirstDelay)} ({FirstDelay}) must be positive and {Section}:{nameof(MaxDelay)} ({MaxDelay}) at least as long.");
        }
    }
}

/// <summary>
/// What the login form asks before and after checking a password, so that every refusal looks
/// alike: <see cref="WaitFor"/> and <see cref="Failed"/> keep the back-off of
/// <see cref="LoginBackoffOptions"/> (in memory, per server, like the per-address rate limit), and
/// <see cref="CheckNoPassword"/> spends the time of one password check when Identity refused
/// without one (an unknown email, a locked account), so the answer takes as long as for a wrong
/// password.
/// </summary>
public sealed class SignInGuard
{
    /// <summary>The one answer to every refused sign-in: unknown email, wrong password, locked or deactivated account.</summary>
    public const string Refusal = "Error: The email or password is wrong.";

    /// <summary>Past this many remembered email and address pairs, those whose back-off is over are forgotten.</summary>
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<(string Email, string Address), Failures> failures = new();

    private readonly LoginBackoffOptions options;

    private readonly TimeProvider time;

    private string? decoyHash;

    public SignInGuard(IOptions<LoginBackoffOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.options.Validate();
        this.time = time;
    }

    /// <summary>The sentence for an attempt made during the back-off.</summary>
    public static string WaitSentence(TimeSpan wait) =>
        $"Error: Too many failed sign-ins with this email from your address. Wait {Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture)} seconds and try again.";

    /// <summary>How long <paramref name="address"/> must still wait before trying <paramref name="email"/> again, or null when it may try now.</summary>
    public TimeSpan? WaitFor(string email, string? address)
    {
        if (!failures.TryGetValue(Key(email, address), out var entry))
        {
            return null;
        }

        lock (entry)
        {
            var wait = entry.Until - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : null;
        }
    }

    /// <summary>Counts a refused sign-in of <paramref name="email"/> from <paramref name="address"/>; past the free ones, the next attempt waits.</summary>
    public void Failed(string email, string? address)
    {
        var now = time.GetUtcNow();
        if (failures.Count > PruneAbove)
        {
            Prune(now);
        }

        var entry = failures.GetOrAdd(Key(email, address), _ => new Failures());
        lock (entry)
        {
            if (entry.Until + options.MaxDelay < now)
            {
                // Quiet for longer than the longest wait: the earlier failures are forgotten.
                entry.Count = 0;
            }

            entry.Count++;
            var waits = entry.Count - options.FreeFailures + 1;
            entry.Until = waits <= 0 ? now : now + Delay(waits);
        }
    }

    /// <summary>The password was right: <paramref name="address"/> starts afresh with <paramref name="email"/>.</summary>
    public void Succeeded(string email, string? address) => failures.TryRemove(Key(email, address), out _);

    /// <summary>Verifies <paramref name="password"/> against a hash of no account with Identity's <paramref name="hasher"/>, taking as long as a real password check.</summary>
    public void CheckNoPassword(IPasswordHasher<ApplicationUser> hasher, string password)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        decoyHash ??= hasher.HashPassword(new ApplicationUser(), Guid.NewGuid().ToString("N"));
        hasher.VerifyHashedPassword(new ApplicationUser(), decoyHash, password);
    }

    /// <summary>The <paramref name="nth"/> wait: the first delay, doubled for each wait before it, at most the longest.</summary>
    private TimeSpan Delay(int nth)
    {
        var doublings = Math.Min(nth - 1, 30);
        var delay = options.FirstDelay * Math.Pow(2, doublings);
        return delay < options.MaxDelay ? delay : options.MaxDelay;
    }

    /// <summary>Forgets the pairs whose wait is over and whose last failure is older than the longest wait.</summary>
    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in failures)
        {
            lock (entry)
            {
                if (entry.Until + options.MaxDelay < now)
                {
                    failures.TryRemove(key, out _);
                }
            }
        }
    }

    private static (string, string) Key(string email, string? address) =>
        (email.Trim().ToUpperInvariant(), address ?? "unknown");

    private sealed class Failures
    {
        public int Count { get; set; }

        public DateTimeOffset Until { get; set; }
    }
}
