using System.IO.Compression;
using LiveContract.Core.Documents;
using LiveContract.Core.Pdf;
using LiveContract.Tests.Fixtures;
using Xunit.Abstractions;

namespace LiveContract.Tests.Unit;

/// <summary>
/// Generated decompression bombs through <see cref="PdfInspector"/>: each is refused with its
/// sentence, and a 1 GiB bomb costs the check a few megabytes at most. Memory is measured with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> around the (synchronous) call: every managed
/// byte the check allocates on this thread, whether or not a collection frees it in between, and
/// nothing other tests running in parallel allocate. It cannot pass by accident: inflating the
/// bomb whole, or even up to the 64 MB cap, into memory allocates at least that many bytes. The
/// only unmanaged memory on the way is zlib's inflate state (a fixed ~50 KB per stream).
/// </summary>
public sealed class PdfBombTests(ITestOutputHelper output) : IDisposable
{
    private const long Megabyte = 1024 * 1024;

    /// <summary>What the check may allocate for one document, whatever it expands to.</summary>
    private const long MemoryBudget = 16 * Megabyte;

    private static readonly PdfExpansionLimits Defaults = new DocumentOptions().ExpansionLimits;

    private readonly TempDirectory folder = new();

    [Fact]
    public void The_generated_content_bomb_is_a_megabyte_that_really_inflates_to_a_gibibyte()
    {
        var path = Bomb("content.pdf", p => PdfBombs.WriteContentBomb(p, PdfBombs.OneGiB));

        var bytes = File.ReadAllBytes(path);
        var start = bytes.AsSpan().IndexOf("stream\n"u8) + "stream\n".Length;
        using var inflate = new ZLibStream(new MemoryStream(bytes, start, bytes.Length - start), CompressionMode.Decompress);
        var buffer = new byte[Megabyte];
        long inflated = 0;
        for (int read; (read = inflate.Read(buffer)) > 0;)
        {
            inflated += read;
        }

        output.WriteLine($"file {bytes.Length:N0} bytes, inflates to {inflated:N0} bytes");
        Assert.True(bytes.Length < 2 * Megabyte, $"{bytes.Length} bytes");
        Assert.Equal(PdfBombs.OneGiB, inflated);
    }

    [Theory]
    [InlineData(false, "FlateDecode")]
    [InlineData(true, "FlateDecode")]
    [InlineData(false, "Fl#61teDecode")]
    public void A_content_stream_inflating_to_a_gibibyte_is_refused_within_a_fixed_memory_budget(bool asciiHex, string flateName)
    {
        var path = Bomb("content.pdf", p => PdfBombs.WriteContentBomb(p, PdfBombs.OneGiB, asciiHex, flateName));

        var (message, allocated) = Inspect(path, Defaults);

        Assert.Equal(
            "This PDF has a part that expands to more than 64 MB when decompressed, the most one part may have. Export or print it to PDF again (with images at a normal resolution, such as 300 dpi) and upload the new file.",
            message);
        Assert.True(allocated < MemoryBudget, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void An_image_claiming_ten_billion_pixels_is_refused()
    {
        var path = Bomb("image.pdf", p => PdfBombs.WriteImageBomb(p, 100_000, 100_000));

        var (message, _) = Inspect(path, Defaults);

        Assert.Equal(
            "This PDF has an image of 100,000 × 100,000 pixels, more than 64 MB when decoded, the most one image may have. Export or print it to PDF again (with images at a normal resolution, such as 300 dpi) and upload the new file.",
            message);
    }

    [Fact]
    public void An_image_of_a_colour_a4_page_scanned_at_300_dpi_is_accepted()
    {
        var path = Bomb("scan.pdf", p => PdfBombs.WriteImageBomb(p, 2480, 3508));

        using var pdf = File.OpenRead(path);
        var result = PdfInspector.Inspect(pdf, 500, Defaults);

        Assert.True(result.Succeeded, result.Error?.Message);
    }

    [Fact]
    public void An_object_stream_compressed_twice_that_inflates_to_a_gibibyte_is_refused_within_a_fixed_memory_budget()
    {
        var path = Bomb("objstm.pdf", p => PdfBombs.WriteObjectStreamBomb(p, PdfBombs.OneGiB));

        var (message, allocated) = Inspect(path, Defaults);

        Assert.StartsWith("This PDF has a part that expands to more than 64 MB when decompressed", message);
        Assert.True(allocated < MemoryBudget, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void The_object_stream_bomb_is_a_pdf_pdfpig_opens_once_it_is_small()
    {
        var path = Bomb("objstm-small.pdf", p => PdfBombs.WriteObjectStreamBomb(p, 1000));

        using var pdf = File.OpenRead(path);
        var result = PdfInspector.Inspect(pdf, 500, Defaults);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(1, result.Value!.PageCount);
    }

    [Fact]
    public void Many_small_streams_adding_up_beyond_the_document_cap_are_refused()
    {
        var path = Bomb("many.pdf", p => PdfBombs.WriteManySmallStreams(p, 300, Megabyte));

        var (message, allocated) = Inspect(path, Defaults);

        Assert.Equal(
            "This PDF expands to more than 256 MB when decompressed, the most a document may have. Split it into smaller documents or export or print it to PDF again (with images at a normal resolution, such as 300 dpi) and upload the new file.",
            message);
        Assert.True(allocated < MemoryBudget, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void A_page_drawing_more_than_the_page_cap_is_refused_by_its_number()
    {
        var path = Bomb("page.pdf", p => PdfBombs.WriteManySmallStreams(p, 3, 4 * Megabyte));

        var (message, _) = Inspect(path, new PdfExpansionLimits(MaxStreamBytes: 64 * Megabyte, MaxPageBytes: 8 * Megabyte, MaxDocumentBytes: 256 * Megabyte, MaxPageContentTokens: 1_000_000));

        Assert.StartsWith("Page 1 of this PDF expands to more than 8 MB when decompressed, the most one page may have.", message);
    }

    [Fact]
    public void A_page_of_millions_of_drawing_instructions_is_refused_before_pdfpig_reads_it()
    {
        // 60 MB of "0 0 m": within the byte caps, but PdfPig would allocate about 3 GB reading it.
        var path = Bomb("operators.pdf", p => PdfBombs.WriteOperatorBomb(p, 60 * Megabyte, "0 0 m\n"));

        var (message, allocated) = Inspect(path, Defaults);

        Assert.Equal(
            "Page 1 of this PDF has more than 1,000,000 drawing instructions, more than one page may have. Export or print it to PDF again (with images at a normal resolution, such as 300 dpi) and upload the new file.",
            message);
        Assert.True(allocated < MemoryBudget, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void A_page_within_every_cap_is_accepted()
    {
        var path = Bomb("fine.pdf", p => PdfBombs.WriteManySmallStreams(p, 3, 4 * Megabyte));

        using var pdf = File.OpenRead(path);
        var result = PdfInspector.Inspect(pdf, 500, Defaults);

        Assert.True(result.Succeeded, result.Error?.Message);
    }

    [Fact]
    public void A_file_made_to_send_the_check_over_the_same_bytes_again_and_again_is_refused_quickly()
    {
        var path = Bomb("overlapping.pdf", p => PdfBombs.WriteOverlappingStreams(p, count: 2000, gapBlocks: 2000));
        var started = System.Diagnostics.Stopwatch.StartNew();

        var (message, allocated) = Inspect(path, Defaults);

        Assert.Equal("This PDF is built in a way that makes its size when decompressed too costly to check. Export or print it to PDF again and upload the new file.", message);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"{started.Elapsed}");
        Assert.True(allocated < MemoryBudget, $"{allocated:N0} bytes allocated");
    }

    [Theory]
    [InlineData("motor-insurance-claim-form.pdf")]
    [InlineData("cjk-type0-font.pdf")]
    [InlineData("pig-production-handbook.pdf")]
    [InlineData("arxiv-2108.11480.pdf")]
    public void A_real_world_pdf_is_refused_once_the_caps_are_below_what_it_expands_to(string fixture)
    {
        using var pdf = File.OpenRead(FixturePdfs.PathOf(fixture));

        var result = PdfInspector.Inspect(pdf, 500, new PdfExpansionLimits(MaxStreamBytes: 64 * Megabyte, MaxPageBytes: 64 * Megabyte, MaxDocumentBytes: 1000, MaxPageContentTokens: 1_000_000));

        Assert.StartsWith("This PDF expands to more than 0 MB when decompressed", result.Error?.Message);
    }

    public void Dispose() => folder.Dispose();

    private string Bomb(string name, Action<string> write)
    {
        var path = Path.Combine(folder.Path, name);
        write(path);
        output.WriteLine($"{name}: {new FileInfo(path).Length:N0} bytes");
        return path;
    }

    /// <summary>The refusal, and the managed bytes this thread allocated for the whole inspection.</summary>
    private (string? Message, long Allocated) Inspect(string path, PdfExpansionLimits limits)
    {
        using var pdf = File.OpenRead(path);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = PdfInspector.Inspect(pdf, 500, limits);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{Path.GetFileName(path)}: {allocated:N0} bytes allocated; {result.Error?.Message ?? "accepted"}");
        return (result.Error?.Message, allocated);
    }
}
