namespace LiveContract.Core.Signing;

/// <summary>
/// The organisation's sealing certificate and private key when LiveContract made them itself (no
/// PKCS#12 file configured): a PKCS#12 blob encrypted with the master key, kept in the database so
/// every server seals with the same certificate. The oldest row is the one in use.
/// </summary>
public sealed class SigningKey
{
    public Guid Id { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>SHA-256 thumbprint of the certificate, lower-case hex.</summary>
    public string Thumbprint { get; set; } = "";

    public string Subject { get; set; } = "";

    public DateTimeOffset NotAfter { get; set; }

    /// <summary>The DER certificate (public: the verification page reads it without the key).</summary>
    public byte[] Certificate { get; set; } = [];

    /// <summary>PKCS#12 with the private key, encrypted with the master key.</summary>
    public byte[] EncryptedPkcs12 { get; set; } = [];
}
