namespace Kansoku.Agent.Parsers.Multiline;

/// <summary>What a line does to the record being held.</summary>
internal enum MultilineAction : byte
{
    /// <summary>Finishes the held record (if any) and is held as the first line of a new one.</summary>
    Start,

    /// <summary>Joins the held record (or starts one when nothing is held).</summary>
    Continue,

    /// <summary>Finishes the held record and is a record on its own, passed on at once.</summary>
    Single,
}
