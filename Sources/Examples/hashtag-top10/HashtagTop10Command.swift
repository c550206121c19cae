import ArgumentParser
import ExampleSupport
import Foundation
import StreamCore
import StreamDashboard
import TutorialPipelines

@main
struct HashtagTop10Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hashtag-top10",
        abstract: "The ten most used hashtags over a sliding window of tweet texts (tutorial 001, part 2).",
        discussion: """
            Reads tweet texts, one per line, from a TCP server (try `line-server --port 9009`), and every batch
            shows a table and a bar chart of the top hashtags of the last --window seconds.
            Replay: hashtag-top10 --input tweets.txt --records-per-batch 100 --output jsonl
            The output is named "top10": up to ten (hashtag, count) pairs, by count descending, ties by hashtag.
            With --dashboard it also serves the chart as a live page (its address on stderr: dashboard=URL) and the
            window's hashtags as the SQL view `tweets` (tag, count), as tutorial 001 registers them.
            """)

    @Option(help: "Host of the TCP server that sends tweet texts.")
    var host = "localhost"

    @Option(help: "Port of the TCP server that sends tweet texts.")
    var port = 9009

    @Option(parsing: .unconditional, help: "Window length in seconds (a multiple of the batch interval).")
    var window: Double = 20

    @Option(parsing: .unconditional, help: "Seconds between batches.")
    var batchInterval: Double = 10

    @Flag(help: "Also serve a live page of the chart and SQL over the window (address printed on stderr).")
    var dashboard = false

    @OptionGroup(title: "Live run")
    var live: LiveRunOptions

    @OptionGroup(title: "Replay")
    var replay: ReplayOptions

    func validate() throws {
        try FlagCheck.port(port, allowZero: false)
        try FlagCheck.seconds(window, "--window")
        try FlagCheck.seconds(batchInterval, "--batch-interval")
    }

    func run() async throws {
        let windowLength = Duration.milliseconds(Int64(window * 1000))
        let runner = PipelineRunner(replay: replay, batchInterval: try LiveRunOptions.interval(seconds: batchInterval))
        if replay.input == nil {
            FileHandle.standardError.write(Data("reading tweet texts from \(host):\(port); Ctrl-C stops\n".utf8))
        }
        let page = try dashboard ? Dashboard(title: "Top 10 hashtags") : nil
        if let page {
            let url = try await page.start()
            FileHandle.standardError.write(Data("dashboard=\(url.absoluteString)\n".utf8))
        }
        try await runner.run(
            stopAfterIdleBatches: live.stopAfterIdleBatches,
            runFor: live.duration,
            live: { [host, port] in $0.socketTextStream(host: host, port: port) }
        ) { _, lines in
            let counts = try HashtagTop10.counts(lines, window: windowLength).cache()
            let top = counts.topByValue(10)
            if let page {
                try top.publish(to: page, as: .bars("Top 10 hashtags (last \(Int(window)) s)", id: "hashtags"))
                try counts.createOrReplaceTempView("tweets", in: page, columns: ("tag", "count"))
            }
            try runner.emit(top, name: HashtagTop10.outputName) { top in
                try top.foreachBatch(name: HashtagTop10.outputName) { batch, time in
                    print(HashtagChart.render(batch.records, time: time, window: windowLength))
                }
            }
        }
    }
}
