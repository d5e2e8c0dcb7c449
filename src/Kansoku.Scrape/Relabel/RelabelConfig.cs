using Kansoku.Core.Labels;

namespace Kansoku.Scrape.Relabel;

/// <summary>
/// One relabel rule, with Prometheus' defaults: action replace, separator ';', regex <c>(.*)</c>, replacement <c>$1</c>.
/// Build with <see cref="Create"/>, which checks the combination of fields as Prometheus does.
/// </summary>
internal sealed record RelabelConfig
{
    public const string DefaultSeparator = ";";
    public const string DefaultReplacement = "$1";

    public IReadOnlyList<string> SourceLabels { get; init; } = [];
    public string Separator { get; init; } = DefaultSeparator;
    public RelabelRegex Regex { get; init; } = RelabelRegex.Default;
    public ulong Modulus { get; init; }
    public string TargetLabel { get; init; } = "";
    public string Replacement { get; init; } = DefaultReplacement;
    public RelabelAction Action { get; init; } = RelabelAction.Replace;

    /// <summary>Whether source_labels was written at all: labeldrop and labelkeep refuse even an empty list.</summary>
    public bool SourceLabelsGiven { get; init; }

    /// <summary>The rule, or an exception whose message is Prometheus' for the first thing wrong with it.</summary>
    /// <exception cref="ArgumentException">The fields do not fit the action.</exception>
    public static RelabelConfig Create(RelabelConfig fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Validate() is { } error)
        {
            throw new ArgumentException(error);
        }
        return fields;
    }

    public static string ActionName(RelabelAction action) => action.ToString().ToLowerInvariant();

    public static bool TryParseAction(string text, out RelabelAction action)
    {
        foreach (var candidate in Enum.GetValues<RelabelAction>())
        {
            if (string.Equals(ActionName(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                action = candidate;
                return true;
            }
        }
        action = default;
        return false;
    }

    private string? Validate()
    {
        var action = ActionName(Action);
        if (Action == RelabelAction.HashMod && Modulus == 0)
        {
            return "relabel configuration for hashmod requires non-zero modulus";
        }
        var writesTarget = Action is RelabelAction.Replace or RelabelAction.HashMod or RelabelAction.Lowercase or RelabelAction.Uppercase
            or RelabelAction.KeepEqual or RelabelAction.DropEqual;
        if (writesTarget && TargetLabel.Length == 0)
        {
            return $"relabel configuration for {action} action requires 'target_label' value";
        }
        var hasVariable = TargetLabel.Contains('$', StringComparison.Ordinal);
        var invalidTarget = Action switch
        {
            RelabelAction.Replace => hasVariable ? !IsNameTemplate(TargetLabel) : !LabelNames.IsValid(TargetLabel),
            RelabelAction.HashMod or RelabelAction.Lowercase or RelabelAction.Uppercase or RelabelAction.KeepEqual
                or RelabelAction.DropEqual => !LabelNames.IsValid(TargetLabel),
            _ => false,
        };
        if (invalidTarget)
        {
            return $"\"{TargetLabel}\" is invalid 'target_label' for {action} action";
        }
        var fixedReplacement = Action is RelabelAction.Lowercase or RelabelAction.Uppercase or RelabelAction.KeepEqual or RelabelAction.DropEqual;
        if (fixedReplacement && Replacement != DefaultReplacement)
        {
            return $"'replacement' can not be set for {action} action";
        }
        if (Action == RelabelAction.LabelMap && !IsNameTemplate(Replacement))
        {
            return $"\"{Replacement}\" is invalid 'replacement' for {action} action";
        }
        if (Action is RelabelAction.KeepEqual or RelabelAction.DropEqual
            && (!Regex.IsDefault || Modulus != 0 || Separator != DefaultSeparator || Replacement != DefaultReplacement))
        {
            return $"{action} action requires only 'source_labels' and `target_label`, and no other fields";
        }
        if (Action is RelabelAction.LabelDrop or RelabelAction.LabelKeep
            && (SourceLabelsGiven || TargetLabel.Length > 0 || Modulus != 0 || Separator != DefaultSeparator || Replacement != DefaultReplacement))
        {
            return $"{action} action requires only 'regex', and no other fields";
        }
        return null;
    }

    /// <summary>
    /// A label name that may contain <c>$var</c> / <c>${var}</c> references, as Prometheus' legacy
    /// <c>^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$</c> accepts: it may not start with a digit unless through a reference.
    /// </summary>
    private static bool IsNameTemplate(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }
        var i = 0;
        var first = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '$')
            {
                var braced = i + 1 < text.Length && text[i + 1] == '{';
                var start = i + (braced ? 2 : 1);
                var end = start;
                while (end < text.Length && IsWordChar(text[end]))
                {
                    end++;
                }
                if (end == start || (braced && (end >= text.Length || text[end] != '}')))
                {
                    return false;
                }
                i = braced ? end + 1 : end;
            }
            else if (IsWordChar(c) && (!first || c is not (>= '0' and <= '9')))
            {
                i++;
            }
            else
            {
                return false;
            }
            first = false;
        }
        return true;
    }

    private static bool IsWordChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';
}
