namespace Kansoku.Agent.Pipeline;

internal enum LogStream : byte
{
    Unknown = 0,
    Stdout = 1,
    Stderr = 2,
}
