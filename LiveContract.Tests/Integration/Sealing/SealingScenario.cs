using System.Text.Json;
using LiveContract.Core.Common;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Core.Documents.Storage;
using LiveContract.Core.Fields;
using LiveContract.Core.Signing;
using LiveContract.Core.Signing.Sealing;
using LiveContract.Tests.Fixtures;
using LiveContract.Tests.Integration.LiveSessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration.Sealing;

/// <summary>
/// The real app on SQLite or PostgreSQL (see <see cref="LiveSessionScenario"/>) with Signed
/// contracts made the way the database allows: documents uploaded and pinned by the Review
/// transition through the real services, then both parties' signatures inserted while in Review
/// and the status set to Signed directly, as the signing service's transaction would.
/// </summary>
internal sealed class SealingScenario : IAsyncDisposable
{
    public const string CustomerName = "Łukasz Żółć";
    public const string CustomerIp = "192.0.2.44";
    public const string CustomerBrowser = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36";
    public const string AdvisorIp = "2001:db8::7";

    private SealingScenario(LiveSessionScenario live)
    {
        Live = live;
    }

    public LiveSessionScenario Live { get; }

    public LiveContractApp App => Live.App;

    public Actor Advisor => Live.Advisor;

    public SealingService Sealing => App.Services.GetRequiredService<SealingService>();

    public SealVerifier Verifier => App.Services.GetRequiredService<SealVerifier>();

    /// <summary>Where the file-system document store keeps its blobs.</summary>
    public string DocumentFolder => Path.Combine(Live.Installation.DataDirectory, "documents");

    public static async Task<SealingScenario> CreateAsync(DatabaseProvider provider = DatabaseProvider.Sqlite, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(await LiveSessionScenario.CreateAsync(provider, settings));

    public LiveContractDbContext Database() => Live.Database();

    /// <summary>A contract with the given fixture documents, in Review (its documents' hashes pinned).</summary>
    public async Task<ContractDetails> InReviewAsync(params string[] fixtures)
    {
        var contract = await Live.CreateContractAsync(null, "lukasz@example.com", fixtures);
        var contracts = App.Services.GetRequiredService<ContractService>();
        return LiveSessionScenario.Accepted(await contracts.UpdateAsync(Advisor, contract.Id, new ContractChanges(Status: ContractStatus.Review)));
    }

    /// <summary>A Signed contract with the given fixture documents (three by default, one of them rotated) and no sealed PDF yet.</summary>
    public async Task<ContractDetails> SignedAsync(params string[] fixtures)
    {
        var contract = await InReviewAsync(fixtures.Length == 0 ? ["motor-insurance-claim-form.pdf", "rotated-90.pdf", "acroform-basic-fields.pdf"] : fixtures);
        await SignAsync(contract.Id);
        return contract;
    }

    /// <summary>
    /// A Signed contract with <paramref name="fixtures"/> and <paramref name="placed"/> fields, made
    /// as a real flow would: the fields placed while a draft, the values set in Review by the party
    /// who owns each field (no value for a signature spot or an empty one), then both signatures
    /// (each with <paramref name="fieldValuesSha256"/>).
    /// </summary>
    public async Task<ContractDetails> SignedWithFieldsAsync(string fieldValuesSha256, IReadOnlyList<PlacedField> placed, params string[] fixtures)
    {
        var contract = await Live.CreateContractAsync(null, "lukasz@example.com", fixtures);
        var now = DateTimeOffset.UtcNow;
        var fields = placed.Select(p => new Field
        {
            Id = Guid.NewGuid(),
            ContractId = contract.Id,
            DocumentId = contract.Documents.Single(d => d.FileName == p.Fixture).Id,
            Page = p.Page,
            Left = p.Box.Left,
            Bottom = p.Box.Bottom,
            Width = p.Box.Width,
            Height = p.Box.Height,
            Kind = p.Kind,
            Label = p.Label,
            Party = p.Party,
            Source = FieldSource.Placed,
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        await using (var db = Database())
        {
            db.Fields.AddRange(fields);
            await db.SaveChangesAsync();
        }

        var contracts = App.Services.GetRequiredService<ContractService>();
        LiveSessionScenario.Accepted(await contracts.UpdateAsync(Advisor, contract.Id, new ContractChanges(Status: ContractStatus.Review)));
        await using (var db = Database())
        {
            var row = await db.Contracts.AsNoTracking().SingleAsync(c => c.Id == contract.Id);
            for (var i = 0; i < placed.Count; i++)
            {
                if (placed[i].Value.Length > 0)
                {
                    db.FieldValues.Add(new FieldValue
                    {
                        FieldId = fields[i].Id,
                        ContractId = contract.Id,
                        Value = placed[i].Value,
                        Version = 1,
                        SetById = placed[i].Party == FieldParty.Customer ? row.CustomerId.ToString("D") : row.AdvisorId,
                        SetByParty = placed[i].Party,
                        SetAt = now.AddSeconds(i),
                    });
                }
            }

            await db.SaveChangesAsync();
        }

        await SignAsync(contract.Id, fieldValuesSha256);
        return contract;
    }

    /// <summary>Records both parties' signatures of the pinned documents, then moves the contract from Review to Signed.</summary>
    public async Task SignAsync(Guid contractId, string? fieldValuesSha256 = null)
    {
        await using var db = Database();
        var contract = await db.Contracts.Include(c => c.Documents).Include(c => c.Advisor).SingleAsync(c => c.Id == contractId);
        var hashes = JsonSerializer.Serialize(contract.Documents
            .Where(d => d.Kind == DocumentKind.Original)
            .OrderBy(d => d.UploadedAt)
            .Select(d => new { documentId = d.Id, fileName = d.FileName, sha256 = d.PinnedSha256 }));
        var signedAt = DateTimeOffset.UtcNow;
        db.Signatures.Add(new Signature
        {
            Id = Guid.NewGuid(),
            ContractId = contractId,
            Role = SignerRole.Customer,
            SignerId = contract.CustomerId.ToString("D"),
            FullName = CustomerName,
            SignerEmail = "lukasz@example.com",
            Image = SignaturePngs.Drawn(),
            ConsentSha256 = SigningConsent.Sha256,
            DocumentHashes = hashes,
            FieldValuesSha256 = fieldValuesSha256,
            SignedAt = signedAt.AddSeconds(-30),
            IpAddress = CustomerIp,
            UserAgent = CustomerBrowser,
        });
        db.Signatures.Add(new Signature
        {
            Id = Guid.NewGuid(),
            ContractId = contractId,
            Role = SignerRole.Advisor,
            SignerId = contract.AdvisorId,
            FullName = contract.Advisor!.DisplayName,
            SignerEmail = contract.Advisor.Email!,
            Image = SignaturePngs.Drawn(),
            ConsentSha256 = SigningConsent.Sha256,
            DocumentHashes = hashes,
            FieldValuesSha256 = fieldValuesSha256,
            SignedAt = signedAt,
            IpAddress = AdvisorIp,
            UserAgent = "AdvisorBrowser/2.0",
        });
        await db.SaveChangesAsync();

        contract.Status = ContractStatus.Signed;
        contract.SignedAt = signedAt;
        contract.Touch(signedAt);
        await db.SaveChangesAsync();
    }

    /// <summary>The contract's sealed document row, if any.</summary>
    public async Task<Document?> SealedDocumentAsync(Guid contractId)
    {
        await using var db = Database();
        return await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.ContractId == contractId && d.Kind == DocumentKind.Sealed);
    }

    /// <summary>The plaintext bytes the document store holds for <paramref name="storageKey"/>.</summary>
    public async Task<byte[]> ReadStoredAsync(string storageKey)
    {
        using var buffer = new MemoryStream();
        await App.Services.GetRequiredService<EncryptedDocumentStorage>().CopyToAsync(storageKey, buffer);
        return buffer.ToArray();
    }

    /// <summary>The blobs in the document store (not its temporary files).</summary>
    public IReadOnlyList<string> StoredBlobs() =>
        Directory.EnumerateFiles(DocumentFolder, "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName)
            .Where(name => !name!.StartsWith('.'))
            .Select(name => name!)
            .ToList();

    /// <summary>Waits until the contract has its sealed PDF (the background worker seals it).</summary>
    public async Task<Document> WaitForSealedAsync(Guid contractId)
    {
        var deadline = DateTime.UtcNow + LiveSessionScenario.Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await SealedDocumentAsync(contractId) is { } document)
            {
                return document;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Contract {contractId} was not sealed within {LiveSessionScenario.Patience.TotalSeconds} s.");
    }

    public ValueTask DisposeAsync() => Live.DisposeAsync();
}

/// <summary>A field for <see cref="SealingScenario.SignedWithFieldsAsync"/>: on which fixture and page, its box, kind, party, label and value ("" for none).</summary>
internal sealed record PlacedField(string Fixture, int Page, FieldBox Box, FieldKind Kind, FieldParty Party, string Label, string Value = "");
