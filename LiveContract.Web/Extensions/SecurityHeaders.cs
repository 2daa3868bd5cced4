using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace LiveContract.Web.Extensions;

/// <summary>
/// The security headers of every response (pages, API, OpenAPI, Scalar, static files, health):
/// a Content-Security-Policy, <c>X-Content-Type-Options: nosniff</c>, a <c>Referrer-Policy</c>
/// (<c>no-referrer</c> under <c>/join</c> and <c>/signed</c>, whose addresses carry secrets) and a
/// <c>Permissions-Policy</c> that turns off the devices and sensors LiveContract never uses.
/// <para>
/// The policy allows scripts from this server only, plus the page's one inline script, the import
/// map, by a nonce fresh for each page (<see cref="Nonce"/>); never <c>'unsafe-inline'</c> or
/// <c>'unsafe-eval'</c> for scripts. <c>'wasm-unsafe-eval'</c> lets pdf.js compile its
/// WebAssembly image and colour decoders (it allows WebAssembly only, not JavaScript from strings);
/// pdf.js is told not to try <c>eval</c> (<c>isEvalSupported: false</c>). Styles allow inline
/// ones because MudBlazor writes its theme and positions as inline styles. Workers (pdf.js) come
/// from this server or <c>blob:</c>; connections (fetch, Blazor's WebSocket) go to this server only.
/// </para>
/// <para>
/// Scalar's page (<c>/scalar</c>) starts itself with an inline module script: its response is read
/// before it is sent and that script is allowed by its SHA-256, so Scalar needs no
/// <c>'unsafe-inline'</c> either. Scalar's bundle probes once whether <c>Function("")</c> works and
/// goes on without it when refused: the browser reports that refusal, and Scalar works.
/// </para>
/// </summary>
internal static partial class SecurityHeaders
{
    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    private const string NonceItem = "LiveContract.CspNonce";

    private const string ScriptHashesItem = "LiveContract.CspScriptHashes";

    private const string ScalarPath = "/scalar";

    /// <summary>The CSP nonce of this response, made on first use; the page gives it to its inline scripts.</summary>
    public static string Nonce(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items[NonceItem] is not string nonce)
        {
            // Base64url: nothing in it is escaped in HTML, so the attribute is the header's value as it stands.
            nonce = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));
            context.Items[NonceItem] = nonce;
        }

        return nonce;
    }

    /// <summary>The first middleware: the headers are set just before each response starts, so error pages and redirects carry them too.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                Apply(context);
                return Task.CompletedTask;
            });
            if (context.Request.Path.StartsWithSegments(ScalarPath) && !Path.HasExtension(context.Request.Path.Value))
            {
                await WithInlineScriptHashesAsync(context, next);
                return;
            }

            await next(context);
        });

    /// <summary>The Content-Security-Policy of a response to <paramref name="context"/>'s request.</summary>
    private static string ContentSecurityPolicy(HttpContext context)
    {
        var scripts = new StringBuilder("'self' 'wasm-unsafe-eval'");
        if (context.Items[NonceItem] is string nonce)
        {
            scripts.Append(" 'nonce-").Append(nonce).Append('\'');
        }

        foreach (var hash in context.Items[ScriptHashesItem] as IReadOnlyList<string> ?? [])
        {
            scripts.Append(" 'sha256-").Append(hash).Append('\'');
        }

        var host = context.Request.Host.HasValue ? context.Request.Host.ToUriComponent() : null;
        var sockets = host is null ? "" : $" ws://{host} wss://{host}";
        return "default-src 'self'; "
            + $"script-src {scripts}; "
            + "style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; "
            + "font-src 'self' data:; "
            + $"connect-src 'self'{sockets}; "
            + "worker-src 'self' blob:; "
            + "object-src 'none'; "
            + "base-uri 'self'; "
            + "frame-ancestors 'self'; "
            + "form-action 'self'";
    }

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy(context);
        headers.XContentTypeOptions = "nosniff";
        var path = context.Request.Path;
        if (path.StartsWithSegments("/join") || path.StartsWithSegments("/signed"))
        {
            headers["Referrer-Policy"] = "no-referrer";
        }
        else if (!headers.ContainsKey("Referrer-Policy"))
        {
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        }

        headers["Permissions-Policy"] = PermissionsPolicy;
    }

    /// <summary>Holds back a Scalar page (a small HTML document) to allow its inline scripts by their hashes.</summary>
    private static async Task WithInlineScriptHashesAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
        {
            var html = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            context.Items[ScriptHashesItem] = InlineScript().Matches(html)
                .Select(m => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups["body"].Value))))
                .ToList();
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>A <c>&lt;script&gt;</c> element without a <c>src</c>, and its text.</summary>
    [GeneratedRegex(@"<script(?![^>]*\bsrc\s*=)[^>]*>(?<body>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}
