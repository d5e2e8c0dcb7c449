namespace Kansoku.Kubernetes;

/// <summary>The <c>type</c> of a watch event. ERROR events never get here: they are reported as errors.</summary>
internal enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
}
