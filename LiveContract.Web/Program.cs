using LiveContract.Core.Data;
using LiveContract.Core.Hosting;
using LiveContract.Web.Extensions;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddRepositoryDevelopmentSettings();
    builder.Services.AddLiveContractWeb();

    var app = builder.Build();
    await app.Services.InitializeLiveContractDatabaseAsync();
    app.UseLiveContract();
    await app.RunAsync();
    return 0;
}
catch (ConfigurationErrorException e)
{
    Console.Error.WriteLine($"LiveContract cannot start: {e.Message}");
    return 1;
}

public partial class Program;
