namespace Kansoku.Agent.Pipeline;

/// <summary>Normalised log level: what level/severity/lvl fields and common line prefixes map to.</summary>
internal enum Severity : byte
{
    Unknown = 0,
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
    Fatal = 5,
}
