using MimeKit;

namespace DeliberationFlow.Notifications;

/// <summary>
/// The embedded mode's transport: every message becomes an .eml file in the pickup folder, where any mail
/// client can open it and a relay can collect it.
/// </summary>
public sealed class PickupDirectoryMailTransport(MailOptions options) : IMailTransport
{
    public async Task<IReadOnlyList<DeliveryResult>> SendAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.PickupDirectory);
        var results = new List<DeliveryResult>(messages.Count);
        foreach (var message in messages)
        {
            var name = $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{SafeFileName(message.MessageId)}.eml";
            var path = Path.Combine(options.PickupDirectory, name);
            var partial = path + ".partial";
            try
            {
                // Written under a temporary name first, so a reader never sees half a message.
                await message.WriteToAsync(partial, cancellationToken);
                File.Move(partial, path, overwrite: true);
                results.Add(DeliveryResult.Ok);
            }
            catch (IOException ex)
            {
                results.Add(new DeliveryResult(false, ex.Message));
            }
            catch (UnauthorizedAccessException ex)
            {
                results.Add(new DeliveryResult(false, ex.Message));
            }
        }

        return results;
    }

    private static string SafeFileName(string? value) =>
        string.Concat((value ?? Guid.NewGuid().ToString()).Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
}
