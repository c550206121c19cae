import ArgumentParser
import ExampleSupport
import Foundation
import StreamCore
import TutorialPipelines

@main
struct NetworkWordCountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network-wordcount",
        abstract: "Counts the words of each batch of lines read from a TCP server (tutorial 001, part 1).",
        discussion: """
            Live: start a server with `nc -lk 9999` in one terminal, run this in another, and type lines.
            Replay: network-wordcount --input lines.txt --records-per-batch 200 --output jsonl
            The output is named "counts": (word, count) pairs of each batch.
            """)

    @Option(help: "Host of the TCP server to read lines from.")
    var host = "localhost"

    @Option(help: "Port of the TCP server to read lines from.")
    var port = 9999

    @Option(parsing: .unconditional, help: "Seconds between batches.")
    var batchInterval: Double = 1

    @OptionGroup(title: "Live run")
    var live: LiveRunOptions

    @OptionGroup(title: "Replay")
    var replay: ReplayOptions

    func validate() throws {
        try FlagCheck.port(port, allowZero: false)
        try FlagCheck.seconds(batchInterval, "--batch-interval")
    }

    func run() async throws {
        let runner = PipelineRunner(replay: replay, batchInterval: try LiveRunOptions.interval(seconds: batchInterval))
        if replay.input == nil {
            FileHandle.standardError.write(
                Data(
                    "reading lines from \(host):\(port) (no server yet? run `nc -lk \(port)`); Ctrl-C stops\n".utf8))
        }
        try await runner.run(
            stopAfterIdleBatches: live.stopAfterIdleBatches,
            runFor: live.duration,
            live: { [host, port] in $0.socketTextStream(host: host, port: port) }
        ) { _, lines in
            try runner.emit(NetworkWordCount.counts(lines), name: NetworkWordCount.outputName) { try $0.print() }
        }
    }
}
