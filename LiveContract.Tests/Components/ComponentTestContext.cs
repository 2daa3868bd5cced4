using AngleSharp.Dom;
using Bunit;
using Bunit.TestDoubles;
using LiveContract.Core;
using LiveContract.Core.Data;
using LiveContract.Tests.Fixtures;
using LiveContract.Web.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using MudBlazor;
using MudBlazor.Services;

namespace LiveContract.Tests.Components;

/// <summary>
/// A bunit context with MudBlazor and LiveContract's real Core services over a real SQLite
/// database in a directory of its own.
/// </summary>
public abstract class ComponentTestContext : IAsyncLifetime
{
    private readonly TempDirectory data = new();

    protected ComponentTestContext()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices(LiveContract.Web.Extensions.WebServiceCollectionExtensions.ConfigureMudBlazor);
        Context.Services.AddLogging();
        Context.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["LiveContract:DataDirectory"] = data.Path,

                // Customers join without a code here; the identity check has tests of its own.
                ["IdentityCheck:Enabled"] = "false",
            })
            .Build());
        Context.Services.AddSingleton<IHostEnvironment>(new TestHostEnvironment(data.Path));
        Context.Services.AddLiveContractCore();
        Context.Services.AddScoped<LiveContract.Web.Components.Shared.BrowserTimeZone>();
        TimeZoneModule = Context.JSInterop.SetupModule(LiveContract.Web.Components.Shared.BrowserTimeZone.ModulePath);
        Context.Services.AddScoped(_ =>
        {
            var client = new ClientConnection();
            client.Set("203.0.113.7", "bunit");
            return client;
        });
        Authorization = Context.AddAuthorization();
    }

    protected BunitContext Context { get; } = new();

    /// <summary>The script that tells <see cref="LiveContract.Web.Components.Shared.BrowserTimeZone"/> the browser's zone; it says nothing (times stay in UTC) unless a test sets it up.</summary>
    protected BunitJSModuleInterop TimeZoneModule { get; }

    /// <summary>Who is logged in: nobody until a test says so.</summary>
    protected BunitAuthorizationContext Authorization { get; }

    protected string PickupDirectory => data.Combine("mail");

    public virtual Task InitializeAsync() => Context.Services.InitializeLiveContractDatabaseAsync();

    public virtual async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        data.Dispose();
    }

    /// <summary>Renders a page inside MudBlazor's providers (popovers, dialogs, snackbars), as the layout does.</summary>
    protected IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> RenderPage<TPage>(params (string Name, object? Value)[] parameters)
        where TPage : Microsoft.AspNetCore.Components.IComponent => Context.Render(builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<MudDialogProvider>(1);
        builder.CloseComponent();
        builder.OpenComponent<MudSnackbarProvider>(2);
        builder.CloseComponent();
        builder.OpenComponent<TPage>(3);
        foreach (var (name, value) in parameters)
        {
            builder.AddAttribute(4, name, value);
        }

        builder.CloseComponent();
    });

    /// <summary>The form control a visible label names, as a person finds it.</summary>
    protected static IElement ControlLabelled(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> component, string label)
    {
        var element = component.FindAll("label").FirstOrDefault(l => l.TextContent.Trim().TrimEnd('*').Trim() == label)
            ?? throw new InvalidOperationException($"No label '{label}'.");
        var id = element.GetAttribute("for") ?? throw new InvalidOperationException($"The label '{label}' names no control.");
        return component.Find($"#{id}");
    }

    protected static IElement ButtonNamed(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> component, string name) =>
        component.FindAll("button").FirstOrDefault(b => (b.GetAttribute("aria-label") ?? b.TextContent.Trim()) == name)
            ?? throw new InvalidOperationException($"No button '{name}'.");

    /// <summary>
    /// Finds the button and clicks it in one step on the renderer's dispatcher, so a render that arrives in between
    /// (a live session pushes state at any time) cannot swap the handler the click was meant for.
    /// </summary>
    protected static Task ClickAsync(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> component, string name) =>
        component.InvokeAsync(() => ButtonNamed(component, name).ClickAsync(new()));

    private sealed class TestHostEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Development";
        public string ApplicationName { get; set; } = "LiveContract.Tests";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
