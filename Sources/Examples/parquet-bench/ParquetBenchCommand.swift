import ArgumentParser
import Foundation
import Parquet

@main
struct ParquetBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parquet-bench",
        abstract: "Writes generated silver-table rows (the data lake's tweets) to Parquet and prints rows/s and bytes/s.",
        discussion: """
            The rows are built in memory first; the time is from the first row written to the file closed.
            Compare with pyarrow on the same rows: scripts/parquet-bench.py FILE (it reads this program's file and
            writes it again with the same codec).
            """)

    @Option(help: "Rows to write.")
    var rows = 1_000_000

    @Option(help: "The file to write.")
    var output = "silver-bench.parquet"

    @Option(help: "gzip or none.")
    var compression = "gzip"

    @Option(help: "Runs; the best is reported.")
    var runs = 3

    static let schema = ParquetSchema([
        .init("id", .int64),
        .init("created_at", .timestampMillis, optional: true),
        .init("author", .string),
        .init("text", .string),
        .init("lang", .string, optional: true),
        .init("is_retweet", .boolean),
        .init("hashtags", .list(.string)),
        .init("topic", .string),
    ])

    func run() throws {
        guard rows > 0, runs > 0 else { throw ValidationError("--rows and --runs must be positive") }
        guard ["gzip", "none"].contains(compression) else { throw ValidationError("--compression is gzip or none") }
        let data = Self.generate(rows)
        var best = Double.infinity
        for _ in 0..<runs {
            let start = ContinuousClock.now
            let writer = try ParquetWriter(
                path: output, schema: Self.schema, compression: compression == "gzip" ? .gzip() : .uncompressed)
            for row in data { try writer.write(row) }
            try writer.close()
            let elapsed = ContinuousClock.now - start
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        let size = (try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        print(
            String(
                format: "ours: %d rows in %.3f s: %.0f rows/s, %.1f MB/s of file, file %d bytes",
                rows, best, Double(rows) / best, Double(size) / best / 1e6, size))
    }

    /// Tweet-like rows: Zipf-ish authors and words, a few hashtags, some nulls.
    static func generate(_ count: Int) -> [[ParquetValue]] {
        let words = [
            "the", "data", "stream", "spark", "swift", "kafka", "model", "great", "today", "city", "team", "new", "love",
            "été", "données", "Musik", "batch", "window", "state", "lake",
        ]
        let tags = ["ai", "bigdata", "datascience", "swift", "spark", "kafka", "ml", "news"]
        let languages = ["en", "en", "en", "fr", "de", "es"]
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        return (0..<count).map { i in
            let text = (0..<(6 + next(10))).map { _ in words[min(next(words.count), next(words.count))] }.joined(separator: " ")
            let hashtags = (0..<next(3)).map { _ in ParquetValue.string(tags[next(tags.count)]) }
            return [
                .int64(1_790_000_000_000_000_000 + Int64(i)),
                next(50) == 0 ? .null : .timestampMillis(1_715_624_525_000 + Int64(i) * 37),
                .string("user\(min(next(5000), next(5000)))"),
                .string(text),
                next(20) == 0 ? .null : .string(languages[next(languages.count)]),
                .boolean(next(4) == 0),
                .list(hashtags),
                .string(next(3) == 0 ? "tweets-data" : "tweets-other"),
            ]
        }
    }
}
