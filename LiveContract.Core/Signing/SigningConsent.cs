using System.Security.Cryptography;
using System.Text;

namespace LiveContract.Core.Signing;

/// <summary>
/// The text every signer agrees to before signing electronically, shown in full; a signature
/// records its SHA-256, and is refused when the signer saw a different text.
/// </summary>
public static class SigningConsent
{
    public const string Text =
        "I agree to sign this contract electronically. My typed full name and my drawn signature are my "
        + "signature and have the same effect as my handwritten signature on paper. I have read the "
        + "documents of this contract as they are shown in this session, and I sign exactly those documents. "
        + "I understand that once every party has signed, the contract is final and cannot be changed, and that "
        + "the time, my IP address and my browser are recorded with my signature. I can download the signed "
        + "contract and its certificate of completion after signing.";

    /// <summary>SHA-256 of the UTF-8 <see cref="Text"/>, lower-case hex.</summary>
    public static string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));
}
