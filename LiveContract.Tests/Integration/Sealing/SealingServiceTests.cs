using System.Security.Cryptography;
using System.Text.Json;
using LiveContract.Core.Audit;
using LiveContract.Core.Common;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.Documents.Storage;
using LiveContract.Core.Signing;
using LiveContract.Core.Signing.Sealing;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Unit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.Sealing;

public sealed class SealingServiceTests
{
    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_signed_contract_is_sealed_into_one_stored_pdf_that_pdfsig_accepts_with_its_audit_event(DatabaseProvider provider)
    {
        await using var scenario = await SealingScenario.CreateAsync(provider);
        var contract = await scenario.SignedAsync();
        var blobsBefore = scenario.StoredBlobs().Count;

        var sealedOutcome = await scenario.Sealing.SealAsync(scenario.Advisor, contract.Id);

        Assert.True(sealedOutcome.Succeeded, sealedOutcome.Error?.Message);
        var summary = sealedOutcome.Value!;
        var row = await scenario.SealedDocumentAsync(contract.Id);
        Assert.NotNull(row);
        Assert.Equal(
            (summary.Id, DocumentKind.Sealed, $"{contract.Reference}-signed.pdf", contract.AdvisorId, (string?)null),
            (row.Id, row.Kind, row.FileName, row.UploadedById, row.PinnedSha256));
        Assert.Equal(blobsBefore + 1, scenario.StoredBlobs().Count);
        var pdf = await scenario.ReadStoredAsync(row.StorageKey);
        Assert.Equal((row.Sha256, (long)pdf.Length), (Convert.ToHexStringLower(SHA256.HashData(pdf)), row.Size));
        Assert.True(row.PageCount > 5, "Three documents of 5 pages and at least one certificate page.");

        var report = await SealingTestTools.PdfSigAsync(pdf);
        Assert.Contains("Signature Validation: Signature is Valid.", report);
        Assert.Contains("Total document signed", report);
        var text = await SealingTestTools.PdfToTextAsync(pdf, 6);
        Assert.Contains($"Customer: {SealingScenario.CustomerName}", text);
        Assert.Contains(SealingScenario.CustomerIp, text);
        Assert.Contains("Chrome/131.0.0.0", text);
        Assert.Contains(SigningConsent.Sha256, text);
        Assert.Contains($"{scenario.App.BaseAddress}verify", text);
        foreach (var document in contract.Documents)
        {
            Assert.Contains(document.Sha256, text);
        }

        await using var db = scenario.Database();
        var key = await db.SigningKeys.AsNoTracking().SingleAsync();
        Assert.Equal(SealingCertificateStore.FirstKeyId, key.Id);
        Assert.Equal("CN=LiveContract document sealing, O=LiveContract", key.Subject);
        Assert.False(key.EncryptedPkcs12.AsSpan().IndexOf(key.Certificate.AsSpan(0, 64)) >= 0, "The stored key must be encrypted.");
        var sealedEvent = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Stream == AuditStreams.Contract(contract.Id) && e.Type == AuditEventTypes.ContractSealed);
        using var data = JsonDocument.Parse(sealedEvent.Data);
        Assert.Equal(row.Sha256, data.RootElement.GetProperty("sha256").GetString());
        Assert.Equal(row.PageCount, data.RootElement.GetProperty("pages").GetInt32());
        Assert.Equal(key.Thumbprint.Trim(), data.RootElement.GetProperty("certificateThumbprint").GetString());
        Assert.Equal(("System", (string?)null), (sealedEvent.ActorRole, sealedEvent.ActorId));
        Assert.True((await AuditTrail.VerifyAsync(db, AuditStreams.Contract(contract.Id))).IsOk);

        // Sealing again returns the same PDF and writes nothing.
        var again = await scenario.Sealing.SealAsync(contract.Id);
        Assert.Equal(summary.Id, again.Value?.Id);
        Assert.Equal(blobsBefore + 1, scenario.StoredBlobs().Count);
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Stream == AuditStreams.Contract(contract.Id) && e.Type == AuditEventTypes.ContractSealed));
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Of_two_sealers_racing_one_inserts_the_sealed_document_and_the_other_deletes_its_stored_bytes(DatabaseProvider provider)
    {
        await using var scenario = await SealingScenario.CreateAsync(provider);
        var contract = await scenario.SignedAsync("single-page-google-drive.pdf");
        var blobsBefore = scenario.StoredBlobs().Count;

        // Both build their PDF before either stores it: the race is decided by the database alone.
        var first = await scenario.Sealing.PrepareAsync(contract.Id, CancellationToken.None);
        var second = await scenario.Sealing.PrepareAsync(contract.Id, CancellationToken.None);
        Assert.NotEqual(first.Value!.Seal!.Sha256, second.Value!.Seal!.Sha256);
        var results = await Task.WhenAll(
            Task.Run(() => scenario.Sealing.CommitAsync(first.Value.Seal, CancellationToken.None)),
            Task.Run(() => scenario.Sealing.CommitAsync(second.Value.Seal, CancellationToken.None)));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        Assert.Equal(results[0].Value!.Id, results[1].Value!.Id);
        await using var db = scenario.Database();
        var row = await db.Documents.AsNoTracking().SingleAsync(d => d.ContractId == contract.Id && d.Kind == DocumentKind.Sealed);
        Assert.Equal(blobsBefore + 1, scenario.StoredBlobs().Count);
        Assert.Contains(row.StorageKey, scenario.StoredBlobs());
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Stream == AuditStreams.Contract(contract.Id) && e.Type == AuditEventTypes.ContractSealed));

        // Whole seals racing (two requests, a retry) end the same way.
        var other = await scenario.SignedAsync("single-page-google-drive.pdf");
        var racing = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => scenario.Sealing.SealAsync(other.Id))));
        Assert.Single(racing.Select(r => r.Value!.Id).Distinct());
        Assert.Equal(blobsBefore + 3, scenario.StoredBlobs().Count);
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task A_document_whose_stored_bytes_differ_from_the_pinned_hash_is_refused_and_nothing_is_written(DatabaseProvider provider)
    {
        await using var scenario = await SealingScenario.CreateAsync(provider);
        var contract = await scenario.SignedAsync("single-page-google-drive.pdf", "rotated-90.pdf");
        var swapped = contract.Documents.Single(d => d.FileName == "rotated-90.pdf");
        string storageKey;
        await using (var db = scenario.Database())
        {
            storageKey = (await db.Documents.SingleAsync(d => d.Id == swapped.Id)).StorageKey;
        }

        // Someone with access to the store puts another (validly encrypted) PDF under the document's key.
        var store = scenario.App.Services.GetRequiredService<IDocumentStore>();
        var cipher = scenario.App.Services.GetRequiredService<DocumentCipher>();
        await store.DeleteAsync(storageKey);
        await store.WriteAsync(storageKey, (ciphertext, token) => cipher.EncryptAsync(new MemoryStream(FixturePdfs.Read("empty.pdf")), ciphertext, token), CancellationToken.None);
        var blobsBefore = scenario.StoredBlobs().Count;

        var outcome = await scenario.Sealing.SealAsync(contract.Id);

        Assert.Equal(ErrorKind.Conflict, outcome.Error?.Kind);
        Assert.Equal(
            $"'rotated-90.pdf' of {contract.Reference} is not the document that was reviewed: its SHA-256 differs from the one pinned at Review. Nothing was sealed.",
            outcome.Error!.Message);
        Assert.Null(await scenario.SealedDocumentAsync(contract.Id));
        Assert.Equal(blobsBefore, scenario.StoredBlobs().Count);
        await using var check = scenario.Database();
        Assert.False(await check.AuditEvents.AnyAsync(e => e.Stream == AuditStreams.Contract(contract.Id) && e.Type == AuditEventTypes.ContractSealed));
    }

    [Fact]
    public async Task Only_a_signed_contract_the_actor_can_see_is_sealed()
    {
        await using var scenario = await SealingScenario.CreateAsync();
        var inReview = await scenario.InReviewAsync("single-page-google-drive.pdf");
        var signed = await scenario.SignedAsync("single-page-google-drive.pdf");

        var notSigned = await scenario.Sealing.SealAsync(scenario.Advisor, inReview.Id);
        var otherAdvisors = await scenario.Sealing.SealAsync(scenario.Live.OtherAdvisor, signed.Id);
        var unknown = await scenario.Sealing.SealAsync(Guid.NewGuid());

        Assert.Equal((ErrorKind.Conflict, $"{inReview.Reference} is not signed yet: it is sealed once every required signer has signed."), (notSigned.Error?.Kind, notSigned.Error?.Message));
        Assert.Equal((ErrorKind.NotFound, "That contract does not exist or is not yours."), (otherAdvisors.Error?.Kind, otherAdvisors.Error?.Message));
        Assert.Equal(ErrorKind.NotFound, unknown.Error?.Kind);
        Assert.Null(await scenario.SealedDocumentAsync(signed.Id));
        Assert.True((await scenario.Sealing.SealAsync(scenario.Live.Admin, signed.Id)).Succeeded);
    }
}
