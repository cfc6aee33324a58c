using DeliberationFlow.Council.Common;
using DeliberationFlow.Council.Model;

namespace DeliberationFlow.Council.Papers;

/// <summary>
/// The lead and participating offices of a paper, checked by their keys against the body's offices, as registering and
/// editing a paper both name them: each unknown key at its field, and an office either leads or participates.
/// </summary>
internal static class PaperOffices
{
    public static (Organization? Lead, List<Guid> Participating) Check(
        ValidationErrors errors, List<Organization> offices, string? leadKey, IReadOnlyList<string>? participatingKeys)
    {
        var lead = offices.FirstOrDefault(o => o.Key == leadKey);
        if (lead is null && !string.IsNullOrWhiteSpace(leadKey))
        {
            errors.Add("leadOffice", $"No office '{leadKey}' in this body; known offices: {string.Join(", ", offices.Select(o => o.Key))}.");
        }

        var participating = new List<Guid>();
        var keys = participatingKeys ?? [];
        for (var i = 0; i < keys.Count; i++)
        {
            if (offices.FirstOrDefault(o => o.Key == keys[i]) is not { } office)
            {
                errors.Add($"participatingOffices[{i}]", $"No office '{keys[i]}' in this body.");
            }
            else if (office.Id == lead?.Id)
            {
                errors.Add($"participatingOffices[{i}]", $"'{keys[i]}' is the lead office; an office either leads or participates.");
            }
            else if (!participating.Contains(office.Id))
            {
                participating.Add(office.Id);
            }
        }

        return (lead, participating);
    }
}
