using System.Text;
using LiveContract.Core.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace LiveContract.Core.Accounts;

/// <summary>Builds set-password links that the template's reset-password page accepts.</summary>
public static class PasswordLinks
{
    public const string ResetPasswordPath = "Account/ResetPassword";

    /// <summary>How long a set-password or reset link stays valid (Identity's token lifetime).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>A new set-password link for <paramref name="user"/> under the public address, never the request's.</summary>
    public static async Task<string> CreateAsync(UserManager<ApplicationUser> users, ApplicationUser user, IPublicUrl publicUrl)
    {
        ArgumentNullException.ThrowIfNull(publicUrl);
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
        return publicUrl.Resolve($"{ResetPasswordPath}?code={code}").ToString();
    }
}
