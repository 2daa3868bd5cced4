using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiveContract.Core.Contracts;
using LiveContract.Core.Data;
using LiveContract.Core.Documents;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Features.Contracts;
using LiveContract.Web.Features.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Tests.Integration;

public sealed class DocumentsApiTests
{
    /// <summary>What happens to each real-world fixture (see docs/documents.md for the decisions).</summary>
    public static TheoryData<string, int?, string?> Fixtures => new()
    {
        { "motor-insurance-claim-form.pdf", 3, null },
        { "acroform-basic-fields.pdf", 1, null },
        { "single-page-google-drive.pdf", 1, null },
        { "non-latin-acrobat-distiller.pdf", 1, null },
        { "rotated-90.pdf", 1, null },
        { "cjk-type0-font.pdf", 95, null },
        { "arxiv-2108.11480.pdf", 5, null },
        { "icml03-081.pdf", 8, null },
        { "pig-production-handbook.pdf", 86, null },
        { "broken-offsets-google-drive.pdf", 1, null },
        { "invalid-xref-loop.pdf", 1, null },
        { "pages-kids-not-page.pdf", null, "This PDF is damaged and cannot be read." },
        { "empty.pdf", 1, null },
        { "encrypted-user-password.pdf", null, "protected by a password or encryption" },
        { "encrypted-empty-user-password.pdf", null, "protected by a password or encryption" },
    };

    [Fact]
    public async Task Every_fixture_pdf_goes_through_the_upload_path()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var contract = await CreateContractAsync(api);

        foreach (var row in Fixtures)
        {
            var (fixture, pages, error) = ((string)row[0], (int?)row[1], (string?)row[2]);
            using var response = await UploadAsync(api, contract.Id, (fixture, FixturePdfs.Read(fixture)));
            if (pages is not null)
            {
                Assert.True(response.StatusCode == HttpStatusCode.Created, $"{fixture}: {await response.Content.ReadAsStringAsync()}");
                var document = Assert.Single(await response.ReadAsync<List<DocumentSummary>>());
                Assert.Equal((fixture, pages.Value, new FileInfo(FixturePdfs.PathOf(fixture)).Length), (document.FileName, document.PageCount, document.Size));
                Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(FixturePdfs.Read(fixture))), document.Sha256);
            }
            else
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Contains(error!, await response.ProblemDetailAsync());
            }
        }

        var stored = await (await api.GetAsync($"api/contracts/{contract.Id}/documents")).ReadAsync<List<DocumentSummary>>();
        Assert.Equal(12, stored.Count);
    }

    [Fact]
    public async Task A_png_renamed_to_pdf_is_refused_by_name_and_nothing_is_kept()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var contract = await CreateContractAsync(api);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

        using var response = await UploadAsync(api, contract.Id, ("scan.pdf", png));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("'scan.pdf': This file is not a PDF (it is a PNG image). Upload the contract as a PDF.", await response.ProblemDetailAsync());
        Assert.Empty(StoredBlobs(installation));
        Assert.Empty(await (await api.GetAsync($"api/contracts/{contract.Id}/documents")).ReadAsync<List<DocumentSummary>>());
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_while_streaming()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(new Dictionary<string, string?> { ["Documents:MaxUploadBytes"] = "1048576" });
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var contract = await CreateContractAsync(api);

        using var response = await UploadAsync(api, contract.Id, ("big.pdf", FixturePdfs.Read("motor-insurance-claim-form.pdf")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("'big.pdf': The file is larger than 1 MB, the most a document may have.", await response.ProblemDetailAsync());
        Assert.Empty(StoredBlobs(installation));
        Assert.Empty(Directory.GetFiles(Path.Combine(installation.DataDirectory, "tmp")));
    }

    [Fact]
    public async Task Several_files_in_one_request_keep_what_succeeded_and_name_what_failed()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var contract = await CreateContractAsync(api);

        using var both = await UploadAsync(api, contract.Id, ("a.pdf", FixturePdfs.Read("single-page-google-drive.pdf")), ("b.pdf", FixturePdfs.Read("rotated-90.pdf")));
        using var mixed = await UploadAsync(api, contract.Id, ("c.pdf", FixturePdfs.Read("empty.pdf")), ("locked.pdf", FixturePdfs.Read("encrypted-user-password.pdf")));

        Assert.Equal(HttpStatusCode.Created, both.StatusCode);
        Assert.Equal(["a.pdf", "b.pdf"], (await both.ReadAsync<List<DocumentSummary>>()).Select(d => d.FileName));
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        Assert.StartsWith("'locked.pdf': ", await mixed.ProblemDetailAsync(), StringComparison.Ordinal);
        var stored = await (await api.GetAsync($"api/contracts/{contract.Id}/documents")).ReadAsync<List<DocumentSummary>>();
        Assert.Equal(["a.pdf", "b.pdf", "c.pdf"], stored.Select(d => d.FileName).Order());
    }

    [Theory]
    [MemberData(nameof(Providers.Both), MemberType = typeof(Providers))]
    public async Task Review_pins_the_hashes_and_freezes_the_documents(DatabaseProvider provider)
    {
        await using var installation = await TestInstallation.CreateAsync(provider);
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var contract = await CreateContractAsync(api);
        using var upload = await UploadAsync(api, contract.Id, ("claim.pdf", FixturePdfs.Read("motor-insurance-claim-form.pdf")));
        var document = Assert.Single(await upload.ReadAsync<List<DocumentSummary>>());

        var inReview = await (await api.PatchAsJsonAsync($"api/contracts/{contract.Id}", new UpdateContractRequest(null, ContractStatus.Review, null))).ReadAsync<ContractDetails>();
        using var lateUpload = await UploadAsync(api, contract.Id, ("late.pdf", FixturePdfs.Read("empty.pdf")));
        using var removal = await api.DeleteAsync($"api/documents/{document.Id}");
        var again = await (await api.PatchAsJsonAsync($"api/contracts/{contract.Id}", new UpdateContractRequest(null, ContractStatus.Review, null))).ReadAsync<ContractDetails>();
        var draft = await (await api.PatchAsJsonAsync($"api/contracts/{contract.Id}", new UpdateContractRequest(null, ContractStatus.Draft, null))).ReadAsync<ContractDetails>();
        using var removed = await api.DeleteAsync($"api/documents/{document.Id}");

        Assert.Equal(ContractStatus.Review, inReview.Status);
        Assert.NotNull(inReview.ReviewStartedAt);
        Assert.Equal(document.Sha256, Assert.Single(inReview.Documents).PinnedSha256);
        Assert.Equal(HttpStatusCode.Conflict, lateUpload.StatusCode);
        Assert.Contains("only while the contract is a draft", await lateUpload.ProblemDetailAsync());
        Assert.Equal(HttpStatusCode.Conflict, removal.StatusCode);
        Assert.Equal(inReview.Version, again.Version);
        Assert.Null(Assert.Single(draft.Documents).PinnedSha256);
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Empty(StoredBlobs(installation));
    }

    [Fact]
    public async Task Another_advisor_can_neither_upload_nor_read_nor_remove()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        var other = await app.CreateUserAsync("Olga Other", "olga@example.com", Core.Accounts.Roles.Advisor, LiveContractApp.AdvisorPassword);
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        using var intruder = await ApiClient.ForAsync(app, other.Id);
        var contract = await CreateContractAsync(api);
        var document = Assert.Single(await (await UploadAsync(api, contract.Id, ("claim.pdf", FixturePdfs.Read("empty.pdf")))).ReadAsync<List<DocumentSummary>>());

        using var upload = await UploadAsync(intruder, contract.Id, ("x.pdf", FixturePdfs.Read("empty.pdf")));
        using var list = await intruder.GetAsync($"api/contracts/{contract.Id}/documents");
        using var get = await intruder.GetAsync($"api/documents/{document.Id}");
        using var delete = await intruder.DeleteAsync($"api/documents/{document.Id}");

        Assert.Equal(HttpStatusCode.NotFound, upload.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Single(await (await api.GetAsync($"api/contracts/{contract.Id}/documents")).ReadAsync<List<DocumentSummary>>());
    }

    [Fact]
    public async Task Admins_read_every_contract_but_change_none_of_another_advisors()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (admin, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        using var adminApi = await ApiClient.ForAsync(app, admin.Id);
        var contract = await CreateContractAsync(api);
        var document = Assert.Single(await (await UploadAsync(api, contract.Id, ("claim.pdf", FixturePdfs.Read("empty.pdf")))).ReadAsync<List<DocumentSummary>>());

        using var read = await adminApi.GetAsync($"api/contracts/{contract.Id}");
        using var file = await adminApi.GetAsync($"api/documents/{document.Id}");
        using var upload = await UploadAsync(adminApi, contract.Id, ("x.pdf", FixturePdfs.Read("empty.pdf")));
        using var remove = await adminApi.DeleteAsync($"api/documents/{document.Id}");
        using var review = await adminApi.PatchAsJsonAsync($"api/contracts/{contract.Id}", new UpdateContractRequest("Renamed", ContractStatus.Review, null));

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.All([upload, remove, review], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal("Only the contract's advisor can change it; administrators see it read-only.", await review.ProblemDetailAsync());
        var unchanged = await (await api.GetAsync($"api/contracts/{contract.Id}")).ReadAsync<ContractDetails>();
        Assert.Equal((ContractStatus.Draft, "Motor policy", 1), (unchanged.Status, unchanged.Title, unchanged.Documents.Count));
    }

    [Fact]
    public async Task The_file_url_serves_the_exact_pdf_to_its_owner_only_and_expires()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start(new Dictionary<string, string?> { ["Documents:LinkLifetime"] = "00:00:02" });
        var (admin, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        using var adminApi = await ApiClient.ForAsync(app, admin.Id);
        var contract = await CreateContractAsync(api);
        var bytes = FixturePdfs.Read("motor-insurance-claim-form.pdf");
        var document = Assert.Single(await (await UploadAsync(api, contract.Id, ("claim.pdf", bytes))).ReadAsync<List<DocumentSummary>>());

        var metadata = await (await api.GetAsync($"api/documents/{document.Id}")).ReadAsync<DocumentResponse>();
        using var fetched = await api.GetAsync(metadata.FileUrl);
        using var anonymous = await new HttpClient().GetAsync(metadata.FileUrl);
        using var someoneElse = await adminApi.GetAsync(metadata.FileUrl);
        using var tampered = await api.GetAsync(metadata.FileUrl[..^4] + "AAAA");
        using var otherDocument = await api.GetAsync(metadata.FileUrl.Replace(document.Id.ToString(), Guid.NewGuid().ToString(), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal("application/pdf", fetched.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", fetched.Headers.CacheControl?.ToString());
        Assert.Equal(bytes, await fetched.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, someoneElse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherDocument.StatusCode);
        Assert.InRange(metadata.FileUrlExpiresAt, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(3));

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        using var expired = await api.GetAsync(metadata.FileUrl);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.DoesNotContain("%PDF", await expired.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Documents_are_encrypted_on_disk()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var contract = await CreateContractAsync(api);

        using var upload = await UploadAsync(api, contract.Id, ("claim.pdf", FixturePdfs.Read("motor-insurance-claim-form.pdf")));

        var blob = File.ReadAllBytes(Assert.Single(StoredBlobs(installation)));
        Assert.DoesNotContain("%PDF", System.Text.Encoding.Latin1.GetString(blob));
        Assert.DoesNotContain("claim", string.Join(",", StoredBlobs(installation)));
    }

    [Fact]
    public async Task A_database_that_fails_mid_upload_leaves_no_blob()
    {
        await using var installation = await TestInstallation.CreateAsync(DatabaseProvider.Postgres);
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var contract = await CreateContractAsync(api);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<LiveContractDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("""
                CREATE FUNCTION refuse_documents() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql;
                CREATE TRIGGER refuse_documents BEFORE INSERT ON "Documents" FOR EACH ROW EXECUTE FUNCTION refuse_documents();
                """);
        }

        using var response = await UploadAsync(api, contract.Id, ("claim.pdf", FixturePdfs.Read("empty.pdf")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("'claim.pdf': The database could not record the document; nothing was kept. Try again in a moment.", await response.ProblemDetailAsync());
        Assert.Empty(StoredBlobs(installation));
    }

    [Fact]
    public async Task A_store_that_fails_mid_upload_leaves_no_row()
    {
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var contract = await CreateContractAsync(api);
        var documents = Path.Combine(installation.DataDirectory, "documents");
        if (Directory.Exists(documents))
        {
            Directory.Delete(documents, recursive: true);
        }

        await File.WriteAllTextAsync(documents, "a file where the folder should be");

        using var response = await UploadAsync(api, contract.Id, ("claim.pdf", FixturePdfs.Read("empty.pdf")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("'claim.pdf': The document store could not save the file; nothing was kept. Try again in a moment.", await response.ProblemDetailAsync());
        File.Delete(documents);
        Assert.Empty(await (await api.GetAsync($"api/contracts/{contract.Id}/documents")).ReadAsync<List<DocumentSummary>>());
    }

    [Fact]
    public async Task On_postgres_and_s3_a_document_round_trips_and_the_bucket_holds_only_ciphertext()
    {
        var bucket = $"lc-api-{Guid.NewGuid():N}";
        await using var installation = await TestInstallation.CreateAsync(DatabaseProvider.Postgres);
        await using var app = installation.Start(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "S3",
            ["Storage:S3:Bucket"] = bucket,
            ["Storage:S3:ServiceUrl"] = TestServers.S3,
            ["Storage:S3:ForcePathStyle"] = "true",
            ["Storage:S3:AccessKey"] = "S3RVER",
            ["Storage:S3:SecretKey"] = "S3RVER",
            ["Storage:S3:CreateBucket"] = "true",
        });
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var contract = await CreateContractAsync(api);
        var bytes = FixturePdfs.Read("cjk-type0-font.pdf");

        var document = Assert.Single(await (await UploadAsync(api, contract.Id, ("cjk.pdf", bytes))).ReadAsync<List<DocumentSummary>>());
        var metadata = await (await api.GetAsync($"api/documents/{document.Id}")).ReadAsync<DocumentResponse>();
        var served = await api.GetByteArrayAsync(metadata.FileUrl);

        Assert.Equal(95, document.PageCount);
        Assert.Equal(bytes, served);
        using var s3 = new Amazon.S3.AmazonS3Client(
            new Amazon.Runtime.BasicAWSCredentials("S3RVER", "S3RVER"),
            new Amazon.S3.AmazonS3Config { ServiceURL = TestServers.S3, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        var objects = await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket });
        var stored = Assert.Single(objects.S3Objects);
        using var raw = await s3.GetObjectAsync(bucket, stored.Key);
        using var buffer = new MemoryStream();
        await raw.ResponseStream.CopyToAsync(buffer);
        Assert.DoesNotContain("%PDF", System.Text.Encoding.Latin1.GetString(buffer.ToArray()));
        Assert.NotEqual(bytes.Length, buffer.Length);
        Assert.Empty(StoredBlobs(installation));
    }

    internal static async Task<ContractDetails> CreateContractAsync(HttpClient api)
    {
        using var response = await api.PostAsJsonAsync("api/contracts", new CreateContractRequest("Motor policy", "Chloé Dupont", "chloe@example.com", null));
        return await response.ReadAsync<ContractDetails>();
    }

    internal static Task<HttpResponseMessage> UploadAsync(HttpClient api, Guid contractId, params (string Name, byte[] Bytes)[] files)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            content.Add(file, "files", name);
        }

        return api.PostAsync($"api/contracts/{contractId}/documents", content);
    }

    private static string[] StoredBlobs(TestInstallation installation)
    {
        var folder = Path.Combine(installation.DataDirectory, "documents");
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];
    }
}
