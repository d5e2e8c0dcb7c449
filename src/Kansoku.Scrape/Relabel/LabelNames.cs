namespace Kansoku.Scrape.Relabel;

/// <summary>Prometheus' legacy label-name rule, <c>[a-zA-Z_][a-zA-Z0-9_]*</c>, used wherever relabelling writes a name.</summary>
internal static class LabelNames
{
    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (i > 0 && c is >= '0' and <= '9');
            if (!valid)
            {
                return false;
            }
        }
        return true;
    }
}
