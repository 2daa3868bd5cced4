using System.Net;
using LiveContract.Core.Contracts;
using LiveContract.Tests.Fixtures;

namespace LiveContract.Tests.Integration;

/// <summary>
/// Generated decompression bombs through the real upload API: each is refused with its sentence
/// and nothing is kept. (The memory each check costs is measured in <c>PdfBombTests</c>, on the
/// inspector's own thread, where nothing else running in parallel can blur the count.)
/// </summary>
public sealed class UploadBombTests
{
    private const string Advice = "Export or print it to PDF again (with images at a normal resolution, such as 300 dpi) and upload the new file.";

    [Fact]
    public async Task Every_kind_of_bomb_is_refused_by_the_upload_api_with_its_sentence_and_nothing_is_kept()
    {
        using var folder = new TempDirectory();
        var bombs = new (string Name, Action<string> Write, string Refusal)[]
        {
            ("content-bomb.pdf", p => PdfBombs.WriteContentBomb(p, PdfBombs.OneGiB), $"This PDF has a part that expands to more than 64 MB when decompressed, the most one part may have. {Advice}"),
            ("image-bomb.pdf", p => PdfBombs.WriteImageBomb(p, 100_000, 100_000), $"This PDF has an image of 100,000 × 100,000 pixels, more than 64 MB when decoded, the most one image may have. {Advice}"),
            ("object-stream-bomb.pdf", p => PdfBombs.WriteObjectStreamBomb(p, PdfBombs.OneGiB), $"This PDF has a part that expands to more than 64 MB when decompressed, the most one part may have. {Advice}"),
            ("many-streams.pdf", p => PdfBombs.WriteManySmallStreams(p, 300, 1024 * 1024), "This PDF expands to more than 256 MB when decompressed, the most a document may have. Split it into smaller documents or export or print it to PDF again (with images at a normal resolution, such as 300 dpi) and upload the new file."),
        };
        await using var installation = await TestInstallation.CreateAsync();
        await using var app = installation.Start();
        var (_, advisor) = await app.CreateStaffAsync();
        using var api = await ApiClient.ForAsync(app, advisor.Id);
        var contract = await DocumentsApiTests.CreateContractAsync(api);

        foreach (var (name, write, refusal) in bombs)
        {
            var path = folder.Combine(name);
            write(path);

            using var response = await DocumentsApiTests.UploadAsync(api, contract.Id, (name, await File.ReadAllBytesAsync(path)));

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {response.StatusCode}");
            Assert.Equal($"'{name}': {refusal}", await response.ProblemDetailAsync());
        }

        Assert.Empty(await (await api.GetAsync($"api/contracts/{contract.Id}/documents")).ReadAsync<List<DocumentSummary>>());
        var stored = Path.Combine(installation.DataDirectory, "documents");
        Assert.Empty(Directory.Exists(stored) ? Directory.GetFiles(stored, "*", SearchOption.AllDirectories) : []);
    }
}
