namespace Kansoku.Agent.Filters;

/// <summary>Shell-style patterns for names: <c>*</c> any run, <c>?</c> one character, everything else literal.</summary>
internal static class Glob
{
    public static bool IsPattern(string pattern) => pattern.AsSpan().IndexOfAny('*', '?') >= 0;

    public static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        // Iterative with one backtrack point: linear for the usual one-star patterns, no recursion.
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]) && pattern[p] != '*')
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }
}
