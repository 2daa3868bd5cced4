using LiveContract.Core.Documents;

namespace LiveContract.Tests.Unit;

public sealed class FileNamesTests
{
    [Theory]
    [InlineData("contract.pdf", "contract.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\eve\\Offer 2026.pdf", "Offer 2026.pdf")]
    [InlineData("  spaced \t  out\n.pdf ", "spaced out.pdf")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    [InlineData("bell\u0007.pdf", "bell.pdf")]
    [InlineData("", "document.pdf")]
    [InlineData(null, "document.pdf")]
    [InlineData("...", "document.pdf")]
    [InlineData("Umowa – Łódź.pdf", "Umowa – Łódź.pdf")]
    [InlineData("abc\u2067fdp.exe\u2069", "abcfdp.exe")]
    [InlineData("mark\u200F\u061C.pdf", "mark.pdf")]
    [InlineData("nul\0and c1\u0085.pdf", "nuland c1.pdf")]
    [InlineData("car 🚗.pdf", "car 🚗.pdf")]
    public void Names_are_cleaned_for_display(string? uploaded, string expected)
    {
        Assert.Equal(expected, FileNames.ForDisplay(uploaded));
    }

    [Fact]
    public void Long_names_are_cut_keeping_the_extension()
    {
        var name = FileNames.ForDisplay(new string('a', 500) + ".pdf");

        Assert.Equal(FileNames.MaxLength, name.Length);
        Assert.EndsWith("a.pdf", name, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_utf16_is_dropped()
    {
        // Built in code: an attribute's strings are stored as UTF-8, which cannot hold a lone surrogate.
        Assert.Equal("lone half.pdf", FileNames.ForDisplay("lone \uD83D half.pdf"));
    }

    [Fact]
    public void A_cut_never_splits_a_character_in_two()
    {
        var name = FileNames.ForDisplay(new string('a', FileNames.MaxLength - 5) + "🚗🚗🚗.pdf");

        Assert.Equal(new string('a', FileNames.MaxLength - 5) + ".pdf", name);
    }
}
