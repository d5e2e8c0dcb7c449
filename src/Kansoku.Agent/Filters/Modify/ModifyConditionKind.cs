namespace Kansoku.Agent.Filters.Modify;

internal enum ModifyConditionKind
{
    KeyExists,
    KeyDoesNotExist,
    KeyValueEquals,
    KeyValueDoesNotEqual,
    KeyValueMatches,
    KeyValueDoesNotMatch,
}
