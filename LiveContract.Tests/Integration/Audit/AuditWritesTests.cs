using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.Audit;

/// <summary>A unit of work beaten to a sequence number runs again and chains after the winner; other failures are not retried.</summary>
public sealed class AuditWritesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 14, 2, 3, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Work_that_loses_the_race_for_a_sequence_number_runs_again_after_the_winner(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var databases = app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>();
        var stream = AuditStreams.Contract(Guid.NewGuid());
        var attempts = 0;

        var outcome = await AuditWrites.RunAsync<long>(databases, async db =>
        {
            attempts++;
            var mine = await AuditTrail.AppendAsync(db, stream, "test.mine", AuditActor.System, new { attempt = attempts }, At);
            if (attempts == 1)
            {
                // Another writer commits the same sequence number first.
                await using var other = await databases.CreateDbContextAsync();
                await AuditTrail.AppendAsync(other, stream, "test.other", AuditActor.System, new { }, At);
                await other.SaveChangesAsync();
            }

            await db.SaveChangesAsync();
            return mine.Sequence;
        });

        Assert.Equal((2, 2L), (attempts, outcome.Value));
        await using var check = await databases.CreateDbContextAsync();
        Assert.Equal(["test.other", "test.mine"], await check.AuditEvents.Where(e => e.Stream == stream).OrderBy(e => e.Sequence).Select(e => e.Type).ToListAsync());
        Assert.True((await AuditTrail.VerifyAsync(check, stream)).IsOk);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Work_that_always_loses_is_reported_as_a_conflict_and_other_failures_are_not_retried(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var databases = app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>();
        var stream = AuditStreams.Contract(Guid.NewGuid());
        var losses = 0;
        var failures = 0;

        var lost = await AuditWrites.RunAsync<bool>(databases, async db =>
        {
            losses++;
            await AuditTrail.AppendAsync(db, stream, "test.mine", AuditActor.System, new { }, At);
            await using var other = await databases.CreateDbContextAsync();
            await AuditTrail.AppendAsync(other, stream, "test.other", AuditActor.System, new { }, At);
            await other.SaveChangesAsync();
            await db.SaveChangesAsync();
            return true;
        });
        await using (var db = await databases.CreateDbContextAsync())
        {
            db.ReferenceCounters.Add(new ReferenceCounter { Year = 1999, Last = 1 });
            await db.SaveChangesAsync();
        }

        var failing = () => AuditWrites.RunAsync<bool>(databases, async db =>
        {
            failures++;
            await AuditTrail.AppendAsync(db, stream, "test.mine", AuditActor.System, new { }, At);
            db.ReferenceCounters.Add(new ReferenceCounter { Year = 1999, Last = 2 });
            await db.SaveChangesAsync();
            return true;
        });

        Assert.Equal((ErrorKind.Conflict, AuditWrites.Busy), (lost.Error!.Kind, lost.Error));
        Assert.Equal(AuditWrites.MaxAttempts, losses);
        var other = await Assert.ThrowsAsync<DbUpdateException>(failing);
        Assert.False(AuditWrites.IsSequenceTaken(other));
        Assert.Equal(1, failures);
    }
}
