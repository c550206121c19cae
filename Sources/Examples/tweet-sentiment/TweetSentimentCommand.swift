import ArgumentParser
import ExampleSupport
import Foundation
import KafkaExampleSupport
import StreamCore
import TweetPipelines
import TwitterEmulator

@main
struct TweetSentimentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tweet-sentiment",
        abstract:
            "VADER sentiment of tweets from Kafka: per batch, over the last minute, and the most extreme tweet (tutorial 004).",
        discussion: """
            Scores every tweet of each 5-second batch with VADER (the Sentiment module, equal to vaderSentiment 3.3.2)
            and prints the batch's and the last minute's mean and positive/negative/neutral split, and the tweet
            furthest from neutral over the last one and five minutes, with its text. --stop-after-idle-batches ends
            the run when the input goes quiet. Windows and offsets are checkpointed (--checkpoint).
            With no --bootstrap-servers it starts an embedded broker and feeds it generated tweets.
            Replay without Kafka: tweet-sentiment --input tweets.jsonl --records-per-batch 125 --output jsonl
            Outputs: scores, sentiment_batch, sentiment_1m, extreme_1m, extreme_5m (see Docs/Tweets.md).
            """)

    @OptionGroup(title: "Live input")
    var input: KafkaTopicInput

    @Option(parsing: .unconditional, help: "Seconds between batches.")
    var batchInterval: Double = 5

    @Option(help: "Partitions per batch and threads that score them (default: all cores).")
    var parallelism: Int?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Also aggregate per minute of the tweets' created_at (event time), accepting tweets this many seconds late; output sentiment_event_1m.",
            valueName: "seconds"))
    var eventTime: Double?

    @OptionGroup
    var deadLetter: DeadLetterOption

    @OptionGroup(title: "Live run")
    var live: LiveRunOptions

    @OptionGroup(title: "Replay")
    var replay: ReplayOptions

    func validate() throws {
        try FlagCheck.seconds(batchInterval, "--batch-interval")
        if let parallelism { try FlagCheck.integer(parallelism, "--parallelism", in: 1...1024) }
        if let eventTime { try FlagCheck.number(eventTime, "--event-time", in: 0...86_400) }
    }

    func run() async throws {
        let runner = PipelineRunner(
            replay: replay, batchInterval: try LiveRunOptions.interval(seconds: batchInterval), parallelism: parallelism)
        let connection =
            replay.input == nil
            ? try input.connect(program: "tweet-sentiment", demoRecords: GeneratedStatuses(TweetGenerator(malformedShare: 0.01)))
            : nil
        let writeDeadLetters = try deadLetter.writer()
        try await runner.run(
            checkpoint: connection?.checkpoint ?? "replay", stopAfterIdleBatches: live.stopAfterIdleBatches,
            runFor: live.duration,
            live: { connection!.records(in: $0) }
        ) { _, records in
            let outputs = try TweetSentiment.outputs(
                of: records, eventTimeWatermark: eventTime.map { .milliseconds(Int64($0 * 1000)) }, deadLetter: writeDeadLetters)
            try runner.emit(outputs.scores, name: "scores") { _ in }
            try runner.emit(outputs.batch.flatMap(Self.fields), name: "sentiment_batch") { _ in }
            try runner.emit(outputs.oneMinute.flatMap(Self.fields), name: "sentiment_1m") { _ in }
            try runner.emit(outputs.extremeOneMinute.map { ($0.id, $0.compound) }, name: "extreme_1m") { _ in }
            try runner.emit(outputs.extremeFiveMinutes.map { ($0.id, $0.compound) }, name: "extreme_5m") { _ in }
            if let minutes = outputs.eventTimeMinutes {
                let rows = minutes.map { window, summary -> [JSONNumber] in
                    [.integer(Int(window.start)), .integer(Int(window.end)), .integer(summary.count), .real(summary.mean)]
                }
                try runner.emit(rows, name: "sentiment_event_1m") { _ in
                    try minutes.map { window, summary in
                        "created_at minute \(window): \(summary.count) tweets, mean \((summary.mean * 1000).rounded() / 1000)"
                    }.print(name: "sentiment_event_1m")
                }
            }
            if replay.output == .console { try Self.printReport(outputs) }
        }
        withExtendedLifetime(connection) {}
    }

    @Sendable static func fields(_ summary: SentimentSummary) -> [JSONNumber] {
        [
            .integer(summary.count), .real(summary.mean), .integer(summary.positive), .integer(summary.negative),
            .integer(summary.neutral),
        ]
    }

    /// One block per batch: the batch, the last minute, and the most extreme tweets.
    static func printReport(_ outputs: TweetSentiment.Outputs) throws {
        let report = try outputs.batch.transformWith(outputs.oneMinute) { batch, minute, _ in
            Batch(zip(batch.records, minute.records).map { $0 })
        }.transformWith(outputs.extremeOneMinute) { summaries, extreme, _ in
            Batch(summaries.records.map { ($0.0, $0.1, extreme.records.first) })
        }
        try report.foreachBatch(name: "report") { batch, time in
            for (thisBatch, lastMinute, extreme) in batch.records {
                var text = "-------------------------------------------\nTime: \(time)\n"
                text += "this batch:  \(describe(thisBatch))\n"
                text += "last minute: \(describe(lastMinute))\n"
                if let extreme {
                    text += "most extreme of the minute: \(extreme.compound) @\(extreme.id): \(extreme.text.prefix(140))\n"
                }
                print(text)
            }
        }
    }

    private static func describe(_ summary: SentimentSummary) -> String {
        let mean = (summary.mean * 1000).rounded() / 1000
        return
            "\(summary.count) tweets, mean \(mean), \(summary.positive) positive, \(summary.negative) negative, \(summary.neutral) neutral"
    }
}
