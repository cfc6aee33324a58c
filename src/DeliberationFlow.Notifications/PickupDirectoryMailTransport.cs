using MimeKit;

namespace DeliberationFlow.Notifications;

/// <summary>
/// The embedded mode's transport: every message becomes an .eml file in the pickup folder, where any mail
/// client can open it and a relay can collect it.
/// </summary>
public sealed class PickupDirectoryMailTransport(MailOptions options) : IMailTransport
{
    public async Task SendAsync(IReadOnlyList<MimeMessage> messages, Func<int, DeliveryResult, Task> report, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.PickupDirectory);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var name = $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{SafeFileName(message.MessageId)}.eml";
            var path = Path.Combine(options.PickupDirectory, name);
            var partial = path + ".partial";
            DeliveryResult result;
            try
            {
                // Written under a temporary name first, so a reader never sees half a message.
                await message.WriteToAsync(partial, cancellationToken);
                File.Move(partial, path, overwrite: true);
                result = DeliveryResult.Ok;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                result = new DeliveryResult(false, ex.Message);
            }

            await report(i, result);
        }
    }

    private static string SafeFileName(string? value) =>
        string.Concat((value ?? Guid.NewGuid().ToString()).Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
}
