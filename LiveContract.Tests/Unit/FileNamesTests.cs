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
}
