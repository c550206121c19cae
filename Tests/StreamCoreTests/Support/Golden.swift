import Foundation
import StreamCore
import StreamTestSupport

/// The golden corpus and what real Apache Spark 4.3 produced for it (see Golden/README.md).
enum Golden {
    /// 1,000 lines; batch *k* holds lines 200(k−1)+1 … 200k; batches 6–12 are empty.
    static let batchCount = 12

    static var corpusBatches: [[String]] {
        let lines = text("corpus_1k.txt").split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        return stride(from: 0, to: lines.count, by: 200).map { Array(lines[$0..<$0 + 200]) }
    }

    /// The corpus as a replayable source, 200 lines a batch: what a restarted pipeline reads.
    static var corpusReplay: ReplaySource<String> {
        ReplaySource(corpusBatches.flatMap { $0 }, recordsPerBatch: 200)
    }

    /// Key/value outputs, batch by batch, sorted by key in code-point order.
    static func pairs(_ name: String) throws -> [[(Word, Int)]] {
        try batches(name).map { batch in
            (batch["data"] as! [[Any]]).map { (Word($0[0] as! String), $0[1] as! Int) }
        }
    }

    /// One-number-per-batch outputs (countByWindow).
    static func counts(_ name: String) throws -> [[Int]] {
        try batches(name).map { $0["data"] as! [Int] }
    }

    private static func batches(_ name: String) throws -> [[String: Any]] {
        let json = try JSONSerialization.jsonObject(with: Data(text(name + ".json").utf8)) as! [String: Any]
        return json["batches"] as! [[String: Any]]
    }

    private static func text(_ file: String) -> String {
        let url = Bundle.module.url(forResource: "Golden/" + file, withExtension: nil)!
        return try! String(contentsOf: url, encoding: .utf8)
    }
}

/// Sorts pairs by key in code-point order, as the golden files are.
func sortedByKey<V>(_ pairs: [(Word, V)]) -> [(Word, V)] {
    pairs.sorted { $0.0 < $1.0 }
}

/// Whether two lists of key/value batches are equal, and a readable account of the first
/// difference when they are not.
func difference(_ actual: [[(Word, Int)]], _ expected: [[(Word, Int)]]) -> String? {
    guard actual.count == expected.count else { return "\(actual.count) batches, expected \(expected.count)" }
    for (index, (got, want)) in zip(actual, expected).enumerated() {
        guard got.count == want.count else { return "batch \(index + 1): \(got.count) records, expected \(want.count)" }
        if let i = got.indices.first(where: { got[$0].0 != want[$0].0 || got[$0].1 != want[$0].1 }) {
            return "batch \(index + 1), record \(i): \(got[i]) but Spark has \(want[i])"
        }
    }
    return nil
}
