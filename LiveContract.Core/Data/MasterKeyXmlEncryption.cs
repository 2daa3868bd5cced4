using System.Security.Cryptography;
using System.Xml.Linq;
using LiveContract.Core.Documents.Storage;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace LiveContract.Core.Data;

/// <summary>
/// Encrypts the ASP.NET Core Data Protection keys (which seal login cookies and document links)
/// before they are stored in the database: AES-256-GCM under a key derived from the master key.
/// Whoever reads the database alone can neither forge a login nor open a link.
/// </summary>
internal sealed class MasterKeyXmlEncryptor(MasterKey masterKey) : IXmlEncryptor
{
    internal const string Purpose = "LiveContract.DataProtection.Keys";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(masterKey.Derive(Purpose), TagSize))
        {
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length), masterKey.IdBytes);
        }

        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement(
            "encryptedKey",
            new XAttribute("masterKeyId", masterKey.Id),
            new XElement("value", Convert.ToBase64String(sealedBytes)));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }

    public static XElement Decrypt(MasterKey masterKey, XElement encryptedElement)
    {
        var keyId = (string?)encryptedElement.Attribute("masterKeyId");
        if (keyId != masterKey.Id)
        {
            throw new CryptographicException($"This Data Protection key was encrypted under master key {keyId}, but master key {masterKey.Id} is configured.");
        }

        var sealedBytes = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? "");
        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        using (var aes = new AesGcm(masterKey.Derive(Purpose), TagSize))
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, plaintext.Length), sealedBytes.AsSpan(NonceSize + plaintext.Length), plaintext, masterKey.IdBytes);
        }

        try
        {
            return XElement.Parse(System.Text.Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>Created by Data Protection (by type name, with the service provider) to read keys back.</summary>
internal sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        MasterKeyXmlEncryptor.Decrypt(services.GetRequiredService<MasterKey>(), encryptedElement);
}
