import Foundation
import StreamCore
import TwitterSource

/// The sequel of tutorial 002: routes tweets that mention a term and link to a whitelisted
/// domain to another topic, with tallies per batch and over time.
public enum TweetRouter {
    /// Outputs of the router, named as in `../shared/golden/tweets/README.md`.
    public struct Outputs {
        /// Every record classified, once per batch: what the sink sends and the tallies count.
        public let classified: DStream<RoutingDecision>
        /// `(stage, n)` for `received` and every stage, in `RoutingStage` order, zeros included.
        public let tally: DStream<(String, Int)>
        /// The `id_str` of the routed tweets, in numeric order.
        public let routedIDs: DStream<String>
        /// Terms matched by routed tweets (each term once per tweet), by count descending.
        public let termCounts: DStream<(Word, Int)>
        /// Running totals of `termCounts` (`updateStateByKey`), every batch.
        public let termTotals: DStream<(Word, Int)>
        /// `[n]`: routed tweets over the last minute.
        public let routedWindow: DStream<Int>
    }

    /// Builds the router over JSON records.
    /// - Parameter window: the window of `routedWindow` (a minute in the tutorial), sliding every batch.
    /// - Important: Running totals and the window need a checkpoint store.
    public static func outputs(
        of records: DStream<String>, rules: RoutingRules, window: Duration = TweetAnalytics.window
    ) throws -> Outputs {
        let classified = records.map(rules.classify).cache()
        let tally = classified.transform { batch in
            var counts = [RoutingStage: Int]()
            for decision in batch.records { counts[decision.stage, default: 0] += 1 }
            return [("received", batch.count)] + RoutingStage.allCases.map { ($0.rawValue, counts[$0] ?? 0) }
        }
        let routed = classified.filter { $0.stage == .routed }
        let routedIDs = routed.compactMap { $0.tweet?.id }.sorted(by: numericallyPrecedes)
        let termCounts = routed.flatMap { $0.terms.map { Word($0) } }.countByValue().cache()
        let termTotals =
            termCounts
            .updateStateByKey(name: "term-totals") { (new: [Int], old: Int?) in (old ?? 0) + new.reduce(0, +) }
            .sortedByValueDescending()
        let routedWindow = try routed.countByWindow(length: window, slide: records.context.batchInterval)
        return Outputs(
            classified: classified, tally: tally, routedIDs: routedIDs,
            termCounts: termCounts.sortedByValueDescending(), termTotals: termTotals, routedWindow: routedWindow)
    }
}

/// Whether the decimal id `a` is smaller than `b` (ids are too long for some integer types
/// and compare as numbers, not as text).
/// Same-length ids compare byte by byte with `memcmp` (sorting a batch's ids is a hot path).
@Sendable
func numericallyPrecedes(_ a: String, _ b: String) -> Bool {
    let (left, right) = (a.utf8, b.utf8)
    guard left.count == right.count else { return left.count < right.count }
    let order = left.withContiguousStorageIfAvailable { l in
        right.withContiguousStorageIfAvailable { r in l.isEmpty ? 0 : memcmp(l.baseAddress!, r.baseAddress!, l.count) }
    }
    if let order = order ?? nil { return order < 0 }
    return left.lexicographicallyPrecedes(right)
}
