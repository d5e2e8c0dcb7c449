using System.Text.Json;

namespace Kansoku.Cli.Tests;

/// <summary>Reads an Elasticsearch <c>_bulk</c> request body (action line, document line, …) and writes replies to it.</summary>
internal static class BulkBody
{
    public static List<(string Operation, JsonElement Meta, JsonElement Document)> Parse(byte[] body)
    {
        var lines = Ndjson.Parse(System.Text.Encoding.UTF8.GetString(body));
        Assert.True(lines.Count % 2 == 0, "a _bulk body has an action line and a document per item");
        var items = new List<(string, JsonElement, JsonElement)>();
        for (var i = 0; i < lines.Count; i += 2)
        {
            var action = Assert.Single(lines[i].EnumerateObject());
            items.Add((action.Name, action.Value, lines[i + 1]));
        }
        return items;
    }

    /// <summary>A 200 reply that gives each item the status <paramref name="statusOf"/> chooses (by item position).</summary>
    public static FakeReply Reply(byte[] body, Func<int, JsonElement, int> statusOf)
    {
        var items = Parse(body);
        var errors = false;
        var replies = new List<object>();
        for (var i = 0; i < items.Count; i++)
        {
            var status = statusOf(i, items[i].Document);
            errors |= status >= 300;
            object result = status < 300
                ? new { _index = items[i].Meta.Text("_index"), status, result = "created" }
                : new { _index = items[i].Meta.Text("_index"), status, error = new { type = status == 429 ? "es_rejected_execution_exception" : "mapper_parsing_exception", reason = $"test says {status}" } };
            replies.Add(new Dictionary<string, object> { [items[i].Operation] = result });
        }
        return new FakeReply(200, JsonSerializer.Serialize(new { took = 1, errors, items = replies }));
    }

    public static FakeReply AllCreated(byte[] body) => Reply(body, (_, _) => 201);
}
