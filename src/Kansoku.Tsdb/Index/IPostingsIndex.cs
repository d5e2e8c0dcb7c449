namespace Kansoku.Tsdb.Index;

/// <summary>What matcher resolution needs from an index (the head's or a block's).</summary>
internal interface IPostingsIndex
{
    /// <summary>The ids of the series with <paramref name="name"/>=<paramref name="value"/>, sorted; empty when none.</summary>
    ulong[] Postings(string name, string value);

    /// <summary>Every series id, sorted.</summary>
    ulong[] AllPostings();

    /// <summary>The values of <paramref name="name"/>, sorted ordinally.</summary>
    string[] Values(string name);

    /// <summary>Label names, sorted ordinally.</summary>
    string[] Names();
}
