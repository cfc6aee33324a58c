using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeliberationFlow.Persistence;
using Microsoft.AspNetCore.DataProtection;

namespace DeliberationFlow.Server.Security;

/// <summary>
/// The Data Protection key ring that signs the sign-in cookie and the calendar feed URLs. Kept in the database, one ring
/// serves every node and outlives a new container: a councillor's subscribed calendar URL and a secretary's sign-in stay
/// valid on whichever node answers, after every redeployment. The fixed application name makes nodes installed under
/// different paths one application. With <c>DataProtection:Certificate:Path</c> (a PKCS#12 file) and its password, the
/// keys are stored encrypted with that certificate; without, in plain text, as safe as the database itself.
/// </summary>
public static class KeyRing
{
    public static WebApplicationBuilder AddSharedKeyRing(this WebApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName("DeliberationFlow")
            .PersistKeysToDbContext<DeliberationDbContext>();
        var path = builder.Configuration["DataProtection:Certificate:Path"];
        if (!string.IsNullOrWhiteSpace(path))
        {
            // The same certificate decrypts the keys again (every node needs the file and its password).
            dataProtection.ProtectKeysWithCertificate(Load(path, builder.Configuration["DataProtection:Certificate:Password"]));
        }

        return builder;
    }

    private static X509Certificate2 Load(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"DataProtection:Certificate:Path '{path}' could not be read as a PKCS#12 (.pfx) file with DataProtection:Certificate:Password: {ex.Message}", ex);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException(
                $"DataProtection:Certificate:Path '{path}' holds no private key; the key ring needs it to read its keys back.");
        }

        return certificate;
    }
}
