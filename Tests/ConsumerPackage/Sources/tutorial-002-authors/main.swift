import Foundation
import StreamCore

// Tutorial 002's authors: count each batch's tweets by author and keep the top five,
// replayed from recorded tweets and resumable from a checkpoint.
//
//   tutorial-002-authors TWEETS.jsonl CHECKPOINT BATCHES    replay, 125 records a batch
//   tutorial-002-authors --queue-with-checkpoint CHECKPOINT  must be refused

let arguments = CommandLine.arguments.dropFirst()

if arguments.first == "--queue-with-checkpoint" {
    do {
        _ = try StreamingContext.getOrCreate(checkpoint: arguments.dropFirst().first!) {
            let context = StreamingContext(batchInterval: .seconds(5), clock: ManualClock())
            try context.stream(from: QueueSource([["a"], ["a", "b"]]), name: "queue").count().print()
            return context
        }
        print("QueueSource was accepted")
        exit(1)
    } catch {
        print("refused: \(error)")
        exit(0)
    }
}

guard arguments.count == 3, let batches = Int(arguments[arguments.startIndex + 2]) else {
    FileHandle.standardError.write(Data("usage: tutorial-002-authors TWEETS.jsonl CHECKPOINT BATCHES\n".utf8))
    exit(64)
}
let (tweets, checkpoint) = (arguments[arguments.startIndex], arguments[arguments.startIndex + 1])

/// The author of a tweet: a JSON object with a string `text` and a `user` with a `screen_name`.
@Sendable func author(_ line: String) -> String? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        object["text"] is String,
        let user = object["user"] as? [String: Any]
    else { return nil }
    return user["screen_name"] as? String
}

let clock = ManualClock()
let context = try StreamingContext.getOrCreate(checkpoint: checkpoint) {
    let context = StreamingContext(batchInterval: .seconds(5), clock: clock)
    let records = context.stream(from: try ReplaySource.lines(ofFile: tweets, recordsPerBatch: 125))
    let topAuthors = records.compactMap(author).countByValue().transform { $0.sortedByValueDescending().prefix(5) }
    try topAuthors.foreachBatch(name: "top_authors") { batch, time in
        let line: [String: Any] = [
            "output": "top_authors", "batch": context.batchIndex(at: time),
            "records": batch.records.map { [$0.0, $0.1] as [Any] },
        ]
        let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        FileHandle.standardOutput.write(json + Data("\n".utf8))
    }
    return context
}
try context.start()
await clock.advance(by: .seconds(5 * Int64(batches)))
await context.stop(gracefully: false)
