using System.Net;
using WebClient = LiveContract.Tests.Fixtures.WebClient;
using System.Net.Http.Json;
using System.Text.Json;
using LiveContract.Tests.E2E;
using LiveContract.Tests.E2E.Pages;
using LiveContract.Tests.Fixtures;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace LiveContract.Tests.Cluster;

/// <summary>
/// People and contracts on a cluster, made only through what a user has: the first-run setup
/// form, the login form and the REST API, all through HAProxy over HTTPS.
/// </summary>
public sealed class ClusterScenario(ClusterFixture cluster)
{
    public const string StaffEmail = "ada@example.com";
    public const string StaffName = "Ada Advisor";
    public const string StaffPassword = "correct horse battery staple";
    public const string CustomerName = "Chloé Dupont";
    public const string ClaimForm = "motor-insurance-claim-form.pdf";

    /// <summary>A browser's first drawing of a PDF loads pdf.js and the document: on a busy machine that takes longer than a click.</summary>
    private static readonly LocatorAssertionsToHaveAttributeOptions FirstDrawing = new() { Timeout = 45_000 };

    private readonly SemaphoreSlim setupGate = new(1, 1);
    private bool staffReady;

    public ClusterFixture Cluster => cluster;

    /// <summary>
    /// The first administrator, made on the setup page of the empty cluster, who is also an advisor
    /// (the admin API sets the roles; accounts are created on the users page, which the E2E tests
    /// of one server cover).
    /// </summary>
    public async Task EnsureStaffAsync()
    {
        await setupGate.WaitAsync();
        try
        {
            if (staffReady)
            {
                return;
            }

            using (var setup = Client())
            {
                using var created = await setup.Web.SubmitFormAsync("setup", new Dictionary<string, string>
                {
                    ["Input.DisplayName"] = StaffName,
                    ["Input.Email"] = StaffEmail,
                    ["Input.Password"] = StaffPassword,
                    ["Input.ConfirmPassword"] = StaffPassword,
                });
                Assert.True(created.StatusCode == HttpStatusCode.Found, $"setup: {created.StatusCode} {await created.Content.ReadAsStringAsync()}");
                Assert.Equal("/admin/users", setup.Web.RedirectPath(created));
            }

            using (var admin = await SignedInAsync())
            {
                using var users = await admin.Api.GetAsync($"api/admin/users?search={Uri.EscapeDataString(StaffEmail)}");
                using var list = JsonDocument.Parse(await Success(users));
                var id = list.RootElement.GetProperty("items")[0].GetProperty("id").GetString();
                using var roles = await admin.Api.PutAsJsonAsync($"api/admin/users/{id}/roles", new { roles = new[] { "Admin", "Advisor" } });
                await Success(roles);
            }

            staffReady = true;
        }
        finally
        {
            setupGate.Release();
        }
    }

    /// <summary>A client of its own (cookies), through HAProxy unless <paramref name="baseAddress"/> names an instance, pinned to an instance when <paramref name="pin"/> is given.</summary>
    public ClusterClient Client(string? pin = null, Uri? baseAddress = null) => new(cluster, baseAddress ?? cluster.Url, pin);

    /// <summary>The staff member, signed in through the login form.</summary>
    public async Task<ClusterClient> SignedInAsync(string? pin = null, Uri? baseAddress = null)
    {
        var client = Client(pin, baseAddress);
        using var login = await client.Web.LoginAsync(StaffEmail, StaffPassword);
        Assert.True(login.StatusCode == HttpStatusCode.Found && client.Web.RedirectPath(login) != "/Account/Login", $"login: {login.StatusCode} {login.Headers.Location}");
        return client;
    }

    /// <summary>A contract in Review with the claim form, a customer text field on page 2 and its live session started.</summary>
    public async Task<ClusterSession> StartSessionAsync(ClusterClient staff, string title)
    {
        using var created = await staff.Api.PostAsJsonAsync("api/contracts", new { title, customerName = CustomerName, customerEmail = "chloe@example.com", advisorMustSign = true });
        using var contract = JsonDocument.Parse(await Success(created));
        var contractId = contract.RootElement.GetProperty("id").GetGuid();

        using var upload = new MultipartFormDataContent();
        var file = new ByteArrayContent(FixturePdfs.Read(ClaimForm));
        file.Headers.ContentType = new("application/pdf");
        upload.Add(file, "files", ClaimForm);
        using var uploaded = await staff.Api.PostAsync($"api/contracts/{contractId}/documents", upload);
        using var documents = JsonDocument.Parse(await Success(uploaded));
        var documentId = documents.RootElement[0].GetProperty("id").GetGuid();

        using var field = await staff.Api.PostAsJsonAsync($"api/contracts/{contractId}/fields", new
        {
            documentId,
            page = 2,
            box = new { left = 72, bottom = 700, width = 220, height = 18 },
            kind = "Text",
            label = "Policy number",
            party = "Customer",
            required = false,
        });
        using var fieldJson = JsonDocument.Parse(await Success(field));
        var fieldId = fieldJson.RootElement.GetProperty("id").GetGuid();

        using var review = await staff.Api.PatchAsJsonAsync($"api/contracts/{contractId}", new { status = "Review" });
        await Success(review);
        using var started = await staff.Api.PostAsync($"api/contracts/{contractId}/session", null);
        using var session = JsonDocument.Parse(await Success(started));
        var link = session.RootElement.GetProperty("customerLink").GetString()!;
        return new ClusterSession(contractId, session.RootElement.GetProperty("sessionId").GetGuid(), documentId, fieldId, link[(link.LastIndexOf('/') + 1)..]);
    }

    /// <summary>A contract in a live session, the advisor's page pinned to instance a, the customer's to b, both showing page 1.</summary>
    public async Task<(ClusterSession Session, LiveSessionView Advisor, LiveSessionView Customer)> OpenSessionAsync(BrowserFixture browser, string title)
    {
        await EnsureStaffAsync();
        ClusterSession session;
        using (var staff = await SignedInAsync())
        {
            session = await StartSessionAsync(staff, title);
        }

        var advisorPage = await NewPageAsync(browser, "a");
        await SignInAsync(advisorPage);
        await advisorPage.GotoAsync($"sessions/{session.SessionId}");
        var advisor = new LiveSessionView(advisorPage);
        await Expect(advisor.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1", FirstDrawing);

        var customerPage = await NewPageAsync(browser, "b");
        await customerPage.GotoAsync($"join/{session.Token}");
        await customerPage.GetByRole(AriaRole.Button, new() { Name = "Join the session" }).ClickAsync();
        var customer = new LiveSessionView(customerPage);
        await Expect(customer.ViewerOf(ClaimForm)).ToHaveAttributeAsync("data-rendered-page", "1", FirstDrawing);
        await Expect(advisor.Participant(CustomerName)).ToContainTextAsync("— connected");
        await Expect(customer.Participant(StaffName)).ToContainTextAsync("— connected");
        return (session, advisor, customer);
    }

    /// <summary>The customer, joined by the session link (the form on the landing page) through HAProxy.</summary>
    public async Task<ClusterClient> JoinAsCustomerAsync(ClusterSession session, string? pin = null, Uri? baseAddress = null)
    {
        var client = Client(pin, baseAddress);
        using var joined = await client.Web.SubmitFormAsync($"join/{session.Token}", new Dictionary<string, string>());
        Assert.True(joined.StatusCode == HttpStatusCode.Found, $"join: {joined.StatusCode} {await joined.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>A browser profile pinned to one instance (HAProxy's SRV cookie), trusting the cluster's certificate.</summary>
    public async Task<IPage> NewPageAsync(BrowserFixture browser, string instance)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = cluster.Url.ToString(), IgnoreHTTPSErrors = true });
        await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "SRV", Value = instance, Url = cluster.Url.ToString(), Secure = true, HttpOnly = true }]);
        return await context.NewPageAsync();
    }

    /// <summary>Signs the staff member in on a browser page through the login form.</summary>
    public static async Task SignInAsync(IPage page)
    {
        await (await LoginPage.OpenAsync(page)).LogInAsync(StaffEmail, StaffPassword);
    }

    /// <summary>A stored field value straight from the shared database, or null when none was saved.</summary>
    public async Task<string?> StoredValueAsync(Guid fieldId)
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={cluster.Value("POSTGRES_PORT")};Username=postgres;Database=livecontract;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT \"Value\" FROM \"FieldValues\" WHERE \"FieldId\" = @id", connection);
        command.Parameters.AddWithValue("id", fieldId);
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>Counts rows in the shared database, e.g. signatures or sealed documents of a contract.</summary>
    public async Task<long> CountAsync(string sql, Guid contractId)
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={cluster.Value("POSTGRES_PORT")};Username=postgres;Database=livecontract;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", contractId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<string> Success(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return body;
    }
}

/// <summary>A contract in Review with its live session: ids, the claim form's document, its customer field and the customer link's token.</summary>
public sealed record ClusterSession(Guid ContractId, Guid SessionId, Guid DocumentId, Guid FieldId, string Token);

/// <summary>A form client (<see cref="WebClient"/>) and an API client sharing one cookie jar, trusting the cluster's certificate.</summary>
public sealed class ClusterClient : IDisposable
{
    public ClusterClient(ClusterFixture cluster, Uri baseAddress, string? pin)
    {
        Web = new WebClient(baseAddress, cluster.Handler());
        if (pin is not null)
        {
            Web.Cookies.Add(baseAddress, new System.Net.Cookie("SRV", pin));
        }

        var handler = cluster.Handler();
        handler.AllowAutoRedirect = false;
        handler.CookieContainer = Web.Cookies;
        Api = new HttpClient(handler) { BaseAddress = baseAddress };
    }

    public WebClient Web { get; }

    public HttpClient Api { get; }

    public void Dispose()
    {
        Api.Dispose();
        Web.Dispose();
    }
}
