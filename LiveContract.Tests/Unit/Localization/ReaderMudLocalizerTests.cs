using LiveContract.Core.Localization;
using LiveContract.Web.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LiveContract.Tests.Unit.Localization;

public sealed class ReaderMudLocalizerTests
{
    [Fact]
    public void MudBlazors_words_a_customer_meets_follow_the_readers_language_and_the_rest_are_left_to_mudblazor()
    {
        using var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        MudLocalizer mud = new ReaderMudLocalizer(services.GetRequiredService<IStringLocalizer<CustomerText>>());

        Assert.Equal("Close", mud["MudDialog_Close"]);
        Assert.Equal("Required", mud["MudFormComponent_Required"]);
        using (Languages.Use("fr"))
        {
            Assert.Equal("Fermer", mud["MudDialog_Close"]);
            Assert.Equal("Obligatoire", mud["MudFormComponent_Required"]);
            Assert.True(mud["MudTablePager_NextPage"].ResourceNotFound);
        }

        using (Languages.Use("de"))
        {
            Assert.Equal("Schließen", mud["MudSnackbar_Close"]);
        }
    }

    [Fact]
    public void The_app_gives_mudblazor_the_readers_words()
    {
        using var services = new ServiceCollection().AddLiveContractWeb().BuildServiceProvider();

        Assert.IsType<ReaderMudLocalizer>(services.GetRequiredService<MudLocalizer>());
    }
}
