import ArgumentParser
import ExampleSupport
import Foundation
import StreamCore
import DashboardPipelines
import StreamDashboard

@main
struct TweetDashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tweet-dashboard",
        abstract: "A live page of the tutorials' charts, with SQL over the latest window (tutorials 000, 001, 002, 004).",
        discussion: """
            Serves one page that updates as batches complete: the top 10 hashtags of the window (001), tweets per batch
            and per window (002), the mean VADER sentiment per batch and the window's most extreme tweet (004), and
            running word totals (000). Its first output line is `dashboard=http://127.0.0.1:PORT/`.
            The hashtags of the window are the SQL view `tweets` (columns tag, count), as in the seed:
              curl 'http://127.0.0.1:PORT/api/sql?q=SELECT%20tag,%20count%20FROM%20tweets%20ORDER%20BY%20count%20DESC%20LIMIT%2010'
            With no --input it charts generated tweets; with --input it replays the file in real time, one batch of
            --records-per-batch tweets per --batch-interval, and keeps serving after the input ends.
            """)

    @Option(help: "Replay these JSON tweets (one per line) instead of generating tweets.")
    var input: String?

    @Option(help: "Tweets per batch (replayed or generated).")
    var recordsPerBatch = 50

    @Option(parsing: .unconditional, help: "Seconds between batches.")
    var batchInterval: Double = 2

    @Option(parsing: .unconditional, help: "Window length in seconds (a multiple of the batch interval).")
    var window: Double = 60

    @Option(help: "Address to serve the page on (0.0.0.0 exposes it to the network).")
    var host = "127.0.0.1"

    @Option(help: "Port to serve the page on (0: a free one).")
    var port = 0

    @Option(parsing: .unconditional, help: "Stop gracefully after this many seconds (default: run until Ctrl-C).")
    var runFor: Double?

    @Option(help: "'console' for people; 'jsonl' also writes each batch's top 10 hashtags as a JSON line on stdout.")
    var output: ReplayOptions.OutputFormat = .console

    func validate() throws {
        try FlagCheck.seconds(batchInterval, "--batch-interval")
        try FlagCheck.seconds(window, "--window")
        try FlagCheck.port(port, allowZero: true)
        if let runFor { try FlagCheck.seconds(runFor, "--run-for") }
        guard recordsPerBatch > 0 else { throw ValidationError("--records-per-batch must be positive") }
    }

    func run() async throws {
        let interval = try LiveRunOptions.interval(seconds: batchInterval)
        let source: any StreamSource<String> =
            try input.map { try RecordFile.replay($0, recordsPerBatch: recordsPerBatch) }
            ?? GeneratedTweetSource(tweetsPerBatch: recordsPerBatch)
        var configuration = StreamingContext.Configuration()
        configuration.stopGracefullyOnSignals = true
        let checkpoint = FileManager.default.temporaryDirectory.appendingPathComponent("tweet-dashboard-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: checkpoint) }
        let context = StreamingContext(
            batchInterval: interval, checkpoint: try CheckpointStore(directory: checkpoint), configuration: configuration)

        let dashboard = try Dashboard(title: "Tweets, live")
        let top10 = try DashboardPipeline.build(
            context.stream(from: source, name: "tweets"), on: dashboard, window: .milliseconds(Int64(window * 1000)))
        if output == .jsonl {
            try top10.foreachBatch(name: DashboardPipeline.top10Name) { batch, time in
                let line = JSONLines.bytes(
                    output: DashboardPipeline.top10Name, batch: context.batchIndex(at: time), time: time,
                    partitions: batch.partitions
                ) { JSONPair.appendJSON(key: $0.0, value: $0.1, to: &$1) }
                try FileHandle.standardOutput.write(contentsOf: line)
            }
        }
        let url = try await dashboard.start(host: host, port: port)
        try FileHandle.standardOutput.write(contentsOf: Data("dashboard=\(url.absoluteString)\n".utf8))
        FileHandle.standardError.write(
            Data(
                """
                open \(url.absoluteString) in a browser; \(input.map { "replaying \($0)" } ?? "generated tweets"), \
                a batch every \(batchInterval) s; Ctrl-C stops\n
                """.utf8))

        try context.start()
        if let runFor, try await !context.awaitTermination(timeout: .milliseconds(Int64(runFor * 1000))) {
            context.requestStop(gracefully: true)
        }
        try await context.awaitTermination()
        await dashboard.stop()
    }
}
