import ArgumentParser
import ExampleSupport
import Foundation
import Sentiment
import TwitterSource

@main
struct SentimentBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sentiment-bench",
        abstract: "Measures the VADER scorer alone: microseconds per tweet on one core.",
        discussion: """
            Build and run it in release mode: swift build -c release && .build/release/sentiment-bench --input tweets.jsonl
            Scores the text of every tweet of the file (JSON records; records that are not tweets are skipped) on one
            thread, --repeats times, and prints the best run. scripts/vader-bench.py times the Python reference,
            vaderSentiment 3.3.2, on the same file: compare the two figures (Docs/Benchmarks.md).
            """)

    @Option(help: ArgumentHelp("Tweets as JSON lines (tweet-gen --v1 writes some).", valueName: "path"))
    var input: String

    @Option(help: "Runs; the best is reported.")
    var repeats = 3

    func validate() throws {
        try FlagCheck.integer(repeats, "--repeats", in: 1...1000)
    }

    func run() throws {
        let texts = try RecordFile.lines(of: input).compactMap { try? Tweet(record: $0).text }
        guard !texts.isEmpty else { throw ValidationError("--input: no tweets in \(input)") }
        let analyzer = SentimentAnalyzer.vader
        var best = Duration.seconds(Int64.max)
        var checksum = 0.0
        for _ in 0..<repeats {
            let started = ContinuousClock.now
            checksum = texts.reduce(0) { $0 + analyzer.scores(of: $1).compound }
            best = min(best, ContinuousClock.now - started)
        }
        let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
        print(
            "texts: \(texts.count), best of \(repeats): \(String(format: "%.3f", seconds)) s, "
                + "\(String(format: "%.2f", seconds / Double(texts.count) * 1e6)) µs/tweet (one core); sum of compounds \(String(format: "%.4f", checksum))"
        )
    }
}
