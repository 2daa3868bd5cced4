using System.Net;
using System.Text.RegularExpressions;

namespace LiveContract.Tests.Fixtures;

/// <summary>
/// A plain HTTP client with a cookie jar, for checking what the server itself enforces. It fills in
/// the static-rendered forms of the account pages as a browser would (hidden fields included).
/// </summary>
public sealed partial class WebClient : IDisposable
{
    private readonly HttpClient http;

    private readonly Uri baseAddress;

    public WebClient(Uri baseAddress)
        : this(baseAddress, new HttpClientHandler())
    {
    }

    /// <summary>A client over <paramref name="handler"/> (e.g. one that accepts a test certificate); redirects are not followed.</summary>
    public WebClient(Uri baseAddress, HttpClientHandler handler)
    {
        this.baseAddress = baseAddress;
        handler.AllowAutoRedirect = false;
        handler.CookieContainer = Cookies = new CookieContainer();
        http = new HttpClient(handler) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    /// <summary>Headers sent with every request, such as a proxy's <c>X-Forwarded-For</c>.</summary>
    public System.Net.Http.Headers.HttpRequestHeaders Headers => http.DefaultRequestHeaders;

    public Task<HttpResponseMessage> GetAsync(string path) => http.GetAsync(path);

    /// <summary>Sends <paramref name="request"/> with this client's cookies, as a page's script or form would.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => http.SendAsync(request);

    public Task<HttpResponseMessage> GetAsync(string path, HttpCompletionOption completion) => http.GetAsync(path, completion);

    /// <summary>
    /// Loads the page, picks the posted form that has every given field (or the one posting to
    /// <paramref name="action"/>, as the logout form does) and posts it with its hidden fields.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string path, IReadOnlyDictionary<string, string> fields, string? action = null)
    {
        var page = await http.GetStringAsync(path);
        var forms = Form().Matches(page).Select(m => m.Value).Where(f => f.Contains("method=\"post\"", StringComparison.Ordinal)).ToList();
        var chosen = action is not null
            ? forms.First(f => f.Contains($"action=\"{action}\"", StringComparison.Ordinal))
            : forms.First(f => fields.Keys.All(name => f.Contains($"name=\"{name}\"", StringComparison.Ordinal)));
        var form = HiddenInput().Matches(chosen).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        return await http.PostAsync(action ?? path, new FormUrlEncodedContent(form));
    }

    /// <summary>The hidden fields of the first posted form in <paramref name="page"/>, as a browser holds them once the page has loaded.</summary>
    public static Dictionary<string, string> HiddenFields(string page) =>
        HiddenInput().Matches(Form().Matches(page).First(f => f.Value.Contains("method=\"post\"", StringComparison.Ordinal)).Value).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));

    /// <summary>Posts a form loaded earlier (see <see cref="HiddenFields"/>), without loading the page again.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string path, IReadOnlyDictionary<string, string> form) =>
        http.PostAsync(path, new FormUrlEncodedContent(form));

    public Task<HttpResponseMessage> LoginAsync(string email, string password) =>
        SubmitFormAsync("Account/Login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>The path a redirect response sends the browser to, or null when it is no redirect.</summary>
    public string? RedirectPath(HttpResponseMessage response) =>
        response.Headers.Location is { } location ? new Uri(baseAddress, location).AbsolutePath : null;

    public void Dispose() => http.Dispose();

    [GeneratedRegex("<form.*?</form>", RegexOptions.Singleline)]
    private static partial Regex Form();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();
}
