import ArgumentParser
import ExampleSupport
import Foundation
import KafkaExampleSupport
import StreamCore
import TweetPipelines
import TwitterEmulator

@main
struct TweetRouterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tweet-router",
        abstract:
            "Routes tweets that mention a term and link to a whitelisted domain to another Kafka topic (tutorial 002's sequel).",
        discussion: """
            Every batch, each record of the input topic is classified at the first rule it fails — malformed, not a
            tweet, a retweet, no term in its text, no link to a whitelisted domain — or routed: sent, as its original
            JSON keyed by the tweet id, to --output-topic. A batch ends only when Kafka confirmed those deliveries,
            and the input offsets are checkpointed after that: after a crash (even kill -9) a restart with the same
            --checkpoint may send a tweet of the interrupted batch again, never lose one (at-least-once, keyed by id).
            Prints the tally per stage, the routed ids, and term counts per batch and since the start.
            With no --bootstrap-servers it starts an embedded broker and feeds it generated tweets.
            Replay without Kafka: tweet-router --input tweets.jsonl --records-per-batch 125 --output jsonl
            Outputs: tally, routed, term_counts, term_totals, routed_window (see Docs/Tweets.md).
            """)

    @OptionGroup(title: "Live input")
    var input: KafkaTopicInput

    @Option(help: "Topic that receives the routed tweets.")
    var outputTopic = "tweets-routed"

    @Option(help: "Comma-separated terms, matched as substrings of the lowercased text.")
    var terms = "spark,kafka,stream,python,data"

    @Option(
        help: "Comma-separated domains: a link qualifies when its host is one of them or a subdomain (a leading www. is ignored)."
    )
    var domains = "github.com,apache.org,confluent.io"

    @Option(parsing: .unconditional, help: "Seconds between batches.")
    var batchInterval: Double = 5

    @Option(parsing: .unconditional, help: "Length of the routed-tweets window in seconds (a multiple of the batch interval).")
    var window: Double = 60

    @OptionGroup(title: "Live run")
    var live: LiveRunOptions

    @OptionGroup(title: "Replay")
    var replay: ReplayOptions

    func validate() throws {
        try FlagCheck.seconds(batchInterval, "--batch-interval")
        try FlagCheck.seconds(window, "--window")
        guard !list(terms).isEmpty else { throw ValidationError("--terms: give at least one term") }
        guard !list(domains).isEmpty else { throw ValidationError("--domains: give at least one domain") }
        guard !outputTopic.isEmpty, outputTopic != input.kafka.topic else {
            throw ValidationError("--output-topic: name a topic other than the input topic '\(input.kafka.topic)'")
        }
    }

    private func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() async throws {
        let runner = PipelineRunner(replay: replay, batchInterval: try LiveRunOptions.interval(seconds: batchInterval))
        let connection =
            replay.input == nil
            ? try input.connect(program: "tweet-router", demoRecords: GeneratedStatuses(TweetGenerator(malformedShare: 0.01)))
            : nil
        try connection?.broker?.createTopic(outputTopic, partitions: 4)
        let rules = RoutingRules(terms: list(terms), domains: list(domains))
        let window = Duration.milliseconds(Int64(self.window * 1000))
        try await runner.run(
            checkpoint: connection?.checkpoint ?? "replay", stopAfterIdleBatches: live.stopAfterIdleBatches,
            runFor: live.duration,
            live: { connection!.records(in: $0) }
        ) { [outputTopic] _, records in
            let router = try TweetRouter.outputs(of: records, rules: rules, window: window)
            if let connection { try TweetRouter.send(router.classified, to: outputTopic, with: connection.configuration) }
            try runner.emit(router.tally, name: "tally") { try $0.print(name: "tally") }
            try runner.emit(router.routedIDs, name: "routed") { try $0.print(5, name: "routed") }
            try runner.emit(router.termCounts, name: "term_counts") { try $0.print(name: "term_counts") }
            try runner.emit(router.termTotals, name: "term_totals") { try $0.print(name: "term_totals") }
            try runner.emit(router.routedWindow, name: "routed_window") { try $0.print(name: "routed_window") }
        }
        withExtendedLifetime(connection) {}
    }
}
