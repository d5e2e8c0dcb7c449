namespace Kansoku.Core.Protobuf;

/// <summary>Bytes that are not the protobuf wire format (<see cref="ProtobufReader"/>); the message says what and in which field.</summary>
public sealed class ProtobufFormatException(string problem) : FormatException(problem);
