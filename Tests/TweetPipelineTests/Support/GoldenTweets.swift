import Foundation
import StreamCore
import StreamTestSupport

/// `../shared/golden/tweets`: 2,000 recorded stream records and what PySpark 4.3 made of them
/// (see Golden/README.md).
enum GoldenTweets {
    static let recordsPerBatch = 125
    static let batches = 32

    /// The recorded records, one per line.
    static var records: [String] {
        text("tweets_2k.jsonl").split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    static var path: String { Bundle.module.url(forResource: "Golden/tweets_2k.jsonl", withExtension: nil)!.path }

    /// Spark's outputs for `program`, as canonical JSON text keyed by output name and batch.
    static func outputs(of program: String) throws -> [OutputKey: String] {
        var outputs: [OutputKey: String] = [:]
        for line in text("tweets_2k.\(program).jsonl").split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            outputs[OutputKey(name: object["output"] as! String, batch: object["batch"] as! Int)] = try canonical(
                object["records"]!)
        }
        return outputs
    }

    private static func text(_ file: String) -> String {
        let url = Bundle.module.url(forResource: "Golden/" + file, withExtension: nil)!
        return try! String(contentsOf: url, encoding: .utf8)
    }
}

/// One output of one batch.
struct OutputKey: Hashable, CustomStringConvertible {
    let name: String
    let batch: Int
    var description: String { "\(name) of batch \(batch)" }
}

/// JSON text with sorted keys, so equal values give equal text.
func canonical(_ value: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
}

/// Collects every output of a replay as canonical JSON text, keyed like the goldens.
final class OutputRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var outputs: [OutputKey: String] = [:]

    /// Registers `stream` as the output `name`; `json` turns one record into a JSON value.
    func record<T>(_ stream: DStream<T>, as name: String, _ json: @escaping @Sendable (T) -> Any) throws {
        let context = stream.context
        try stream.foreachBatch(name: name) { [self] batch, time in
            let text = try canonical(batch.records.map(json))
            lock.withLock { outputs[OutputKey(name: name, batch: context.batchIndex(at: time))] = text }
        }
    }

    /// Registers a stream of one record per batch whose fields are the output's records
    /// (`[n, mean, positive, negative, neutral]`).
    func recordFields<T>(_ stream: DStream<T>, as name: String, _ fields: @escaping @Sendable (T) -> [Any]) throws {
        let context = stream.context
        try stream.foreachBatch(name: name) { [self] batch, time in
            let text = try canonical(batch.records.flatMap(fields))
            lock.withLock { outputs[OutputKey(name: name, batch: context.batchIndex(at: time))] = text }
        }
    }

    var recorded: [OutputKey: String] { lock.withLock { outputs } }
}

/// A pair as the goldens write it: `[key, count]`.
@Sendable func pair(_ record: (Word, Int)) -> Any { [record.0.text, record.1] }

/// The first difference between two sets of outputs, readably; nil when they are equal.
func difference(_ actual: [OutputKey: String], _ expected: [OutputKey: String]) -> String? {
    for key in expected.keys.sorted(by: { ($0.batch, $0.name) < ($1.batch, $1.name) }) where actual[key] != expected[key] {
        return "\(key): \(actual[key]?.prefix(300) ?? "missing") but Spark has \(expected[key]!.prefix(300))"
    }
    if let extra = actual.keys.first(where: { expected[$0] == nil }) { return "\(extra) is not in Spark's outputs" }
    return nil
}

/// Replays the golden records through `build` (125 a batch, 32 batches of 5 s) and returns what it recorded.
func replayGoldenTweets(_ build: (DStream<String>, OutputRecorder) throws -> Void) async throws -> [OutputKey: String] {
    let clock = ManualClock()
    let context = StreamingContext(
        batchInterval: .seconds(5), clock: clock, checkpoint: try CheckpointStore(directory: temporaryDirectory()))
    let recorder = OutputRecorder()
    try build(context.stream(from: ReplaySource(GoldenTweets.records, recordsPerBatch: GoldenTweets.recordsPerBatch)), recorder)
    try context.start()
    for _ in 0..<GoldenTweets.batches { await clock.advance(by: .seconds(5)) }
    await context.stop(gracefully: false)
    return recorder.recorded
}
