using LiveContract.Core.Email;
using LiveContract.Core.Hosting;

namespace LiveContract.Tests.Unit;

public sealed class EmailOptionsTests
{
    [Fact]
    public void The_defaults_write_to_the_pickup_folder()
    {
        var options = new EmailOptions();

        options.Validate();

        Assert.Equal(EmailMode.Pickup, options.Mode);
        Assert.Equal("no-reply@livecontract.local", options.Sender.Address);
        Assert.False(options.LogLinks);
    }

    [Fact]
    public void Smtp_needs_a_host()
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => new EmailOptions { Mode = EmailMode.Smtp }.Validate());

        Assert.Contains("Email:Smtp:Host is required", error.Message);
    }

    [Fact]
    public void A_sender_that_is_not_an_address_is_refused()
    {
        var error = Assert.Throws<ConfigurationErrorException>(() => new EmailOptions { From = "LiveContract" }.Validate());

        Assert.Contains("Email:From is 'LiveContract'", error.Message);
    }

    [Fact]
    public void Smtp_credentials_come_in_pairs()
    {
        var options = new EmailOptions { Mode = EmailMode.Smtp, Smtp = { Host = "mail", UserName = "user" } };

        var error = Assert.Throws<ConfigurationErrorException>(options.Validate);

        Assert.Contains("UserName and Email:Smtp:Password go together", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(70000)]
    public void Smtp_port_must_be_a_port(int port)
    {
        var options = new EmailOptions { Mode = EmailMode.Smtp, Smtp = { Host = "mail", Port = port } };

        var error = Assert.Throws<ConfigurationErrorException>(options.Validate);

        Assert.Contains($"Email:Smtp:Port is {port}", error.Message);
    }
}
