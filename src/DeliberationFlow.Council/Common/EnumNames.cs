using System.Globalization;

namespace DeliberationFlow.Council.Common;

/// <summary>An enum member named in a request: by its name in any case, never by its number ("2" is no status).</summary>
public static class EnumNames
{
    public static bool TryParse<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value)
        && !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
}
