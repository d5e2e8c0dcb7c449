using System.Text;
using System.Text.RegularExpressions;
using Kansoku.Agent.Parsers.Fields;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Parsers.Regexp;

/// <summary>
/// Fluent Bit's regex format: named groups (<c>(?&lt;name&gt;…)</c>, Onigmo and .NET agree on the syntax) become
/// string fields, converted by Types. Unnamed groups are ignored; empty captures are skipped unless
/// Skip_Empty_Values is Off.
/// </summary>
/// <remarks>
/// The folder is <c>Regexp</c> because a <c>Regex</c> namespace would hide <see cref="Regex"/> from the other parsers.
/// Fluent Bit's regex parsers see the content as text, so it is decoded from UTF-8 once per record here. A match
/// that runs past <see cref="MatchTimeout"/> (catastrophic backtracking in a user's pattern) counts as no match
/// instead of stalling the pipeline.
/// </remarks>
internal sealed class RegexContentParser : IContentParser
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    private readonly ParserOptions _options;
    private readonly Regex _regex;
    private readonly (int Number, byte[] Name)[] _groups;
    private readonly bool _skipEmptyValues;

    public RegexContentParser(ParserOptions options, Regex regex, bool skipEmptyValues)
    {
        _options = options;
        _regex = regex;
        _skipEmptyValues = skipEmptyValues;
        var groups = new List<(int, byte[])>();
        foreach (var name in regex.GetGroupNames())
        {
            var number = regex.GroupNumberFromName(name);
            if (name != number.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                groups.Add((number, Encoding.UTF8.GetBytes(name)));
            }
        }
        _groups = [.. groups];
    }

    public string Name => _options.Name;

    /// <summary>Builds the pattern as Fluent Bit configurations write it, or throws <see cref="ArgumentException"/>.</summary>
    public static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, MatchTimeout);

    public bool TryParse(LogRecord record)
    {
        Match match;
        try
        {
            match = _regex.Match(record.ContentAsString());
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
        if (!match.Success)
        {
            return false;
        }
        var builder = FieldsBuilder.Start(_options);
        foreach (var (number, name) in _groups)
        {
            var group = match.Groups[number];
            if (group.Success && (group.Length > 0 || !_skipEmptyValues))
            {
                builder.Add(name, group.ValueSpan);
            }
        }
        builder.Complete(record);
        return true;
    }
}
