namespace Kansoku.Scrape.Relabel;

/// <summary>What one relabel rule does; the YAML spellings are the lower-case names (Prometheus model/relabel).</summary>
internal enum RelabelAction
{
    Replace,
    Keep,
    Drop,
    KeepEqual,
    DropEqual,
    HashMod,
    LabelMap,
    LabelDrop,
    LabelKeep,
    Lowercase,
    Uppercase,
}
