import ArgumentParser
import ExampleSupport
import Foundation
import KafkaExampleSupport
import StreamCore
import TweetPipelines
import TwitterEmulator

@main
struct TweetAnalyticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tweet-analytics",
        abstract: "Tweets, authors and words per batch and over a rolling minute, from JSON tweets in Kafka (tutorial 002).",
        discussion: """
            Reads tweets (X API v1.1 or v2 JSON, one per record) from a Kafka topic every 5 seconds and prints the
            tutorial's outputs: tweets this batch and over the last minute, authors by count (the top five, the
            prolific ones and those named rm…), word counts, and authors over the last minute. Records that are not
            tweets (malformed JSON, delete and limit notices) are counted and, with --dead-letter, kept.
            State, windows and offsets are checkpointed together: kill it (even -9), start it again with the same
            --checkpoint, and every later batch is what an uninterrupted run gives.
            With no --bootstrap-servers it starts an embedded broker and feeds it generated tweets.
            Replay without Kafka: tweet-analytics --input tweets.jsonl --records-per-batch 125 --output jsonl
            Outputs: batch_count, window_count, totals, author_counts, top_authors, filtered_authors, word_counts,
            author_counts_windowed (see Docs/Tweets.md).
            """)

    @OptionGroup(title: "Live input")
    var input: KafkaTopicInput

    @Option(parsing: .unconditional, help: "Seconds between batches.")
    var batchInterval: Double = 5

    @Option(parsing: .unconditional, help: "Length of the rolling window in seconds (a multiple of the batch interval).")
    var window: Double = 60

    @OptionGroup
    var deadLetter: DeadLetterOption

    @OptionGroup(title: "Live run")
    var live: LiveRunOptions

    @OptionGroup(title: "Replay")
    var replay: ReplayOptions

    func validate() throws {
        try FlagCheck.seconds(batchInterval, "--batch-interval")
        try FlagCheck.seconds(window, "--window")
    }

    func run() async throws {
        let runner = PipelineRunner(replay: replay, batchInterval: try LiveRunOptions.interval(seconds: batchInterval))
        let connection =
            replay.input == nil
            ? try input.connect(program: "tweet-analytics", demoRecords: GeneratedStatuses(TweetGenerator(malformedShare: 0.01)))
            : nil
        let writeDeadLetters = try deadLetter.writer()
        let window = Duration.milliseconds(Int64(self.window * 1000))
        try await runner.run(
            checkpoint: connection?.checkpoint ?? "replay", stopAfterIdleBatches: live.stopAfterIdleBatches,
            runFor: live.duration,
            live: { connection!.records(in: $0) }
        ) { _, records in
            let outputs = try TweetAnalytics.outputs(of: records, window: window, deadLetter: writeDeadLetters)
            try runner.emit(outputs.batchCount, name: "batch_count") { _ in }
            try runner.emit(outputs.windowCount, name: "window_count") { _ in }
            try runner.emit(outputs.totals, name: "totals") { try $0.print(name: "totals") }
            try runner.emit(outputs.authorCounts, name: "author_counts") { counts in
                try counts.map { "Author counts this batch:\tValue \($0.0)\tCount \($0.1)" }.print(5, name: "author_counts")
            }
            try runner.emit(outputs.topAuthors, name: "top_authors") { try $0.print(5, name: "top_authors") }
            try runner.emit(outputs.filteredAuthors, name: "filtered_authors") { try $0.print(name: "filtered_authors") }
            try runner.emit(outputs.wordCounts, name: "word_counts") { try $0.print(name: "word_counts") }
            try runner.emit(outputs.authorCountsWindowed, name: "author_counts_windowed") { counts in
                try counts.map { "Author counts (One minute rolling):\tValue \($0.0)\tCount \($0.1)" }.print(
                    5, name: "author_counts_windowed")
            }
        }
        withExtendedLifetime(connection) {}
    }
}
