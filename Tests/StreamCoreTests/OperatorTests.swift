import StreamCore
import StreamTestSupport
import Testing

/// Each operator on a tiny input, with the exact output it must give.
@Suite("Operators")
struct OperatorTests {
    @Test func mapFilterAndFlatMap() async throws {
        let out = try await replay([["a bb", "ccc"], ["dddd"]]) { lines in
            lines.flatMap(Word.split).map(\.text.count).filter { $0 > 1 }
        }
        #expect(out.map { $0.sorted() } == [[2, 3], [4]])
    }

    /// Narrow operators fuse: each record goes through the whole chain before the next one is
    /// read, with no array between the steps.
    @Test func narrowOperatorsRunAsOnePassPerRecord() async throws {
        var configuration = StreamingContext.Configuration()
        configuration.parallelism = 1
        let clock = ManualClock()
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock, configuration: configuration)
        let steps = BatchLog<String>()
        try context.stream(from: QueueSource([["a bb", "ccc"]]))
            .flatMap { line in
                steps.append(["split \(line)"])
                return Word.split(line)
            }
            .map { word in
                steps.append(["map \(word)"])
                return word.text.count
            }
            .filter { length in
                steps.append(["filter \(length)"])
                return length > 1
            }
            .foreachBatch { _, _ in }
        try context.start()
        await clock.advance(by: .seconds(1))
        await context.stop(gracefully: false)
        #expect(
            steps.batches.flatMap { $0 }
                == ["split a bb", "map a", "filter 1", "map bb", "filter 2", "split ccc", "map ccc", "filter 3"])
    }

    @Test func countIsZeroForAnEmptyBatchButReduceIsEmpty() async throws {
        let counts = try await replay([["a", "b"], []]) { $0.count() }
        let lengths = try await replay([["a", "bb"], []]) { $0.map(\.count).reduce(+) }
        #expect(counts == [[2], [0]])
        #expect(lengths == [[3], []])
    }

    @Test func countByValue() async throws {
        let out = try await replay([["x", "y", "x"]]) { $0.countByValue() }
        #expect(out[0].sorted { $0.0 < $1.0 }.map { "\($0.0)\($0.1)" } == ["x2", "y1"])
    }

    /// A batch of many keys, each seen a different number of times: the map side's table grows
    /// many times over and every count still comes out once and right.
    @Test func reduceByKeyCountsEveryKeyOfALargeBatch() async throws {
        var random = SplitMix(seed: 60)
        let words = (0..<60_000).flatMap { i in Array(repeating: "w\(i)", count: 1 + i % 3) }
        let out = try await replay([words.shuffled(using: &random)]) { $0.map { (Word($0), 1) }.reduceByKey(+) }
        let counts = Dictionary(out[0].map { ($0.0.text, $0.1) }, uniquingKeysWith: { _, _ in -1 })
        #expect(counts.count == 60_000)
        #expect((0..<60_000).allSatisfy { counts["w\($0)"] == 1 + $0 % 3 })
    }

    /// The map side's tables are kept from batch to batch, emptied, and shrunk after a batch
    /// that needs few of their slots: every batch still counts only its own words.
    @Test func reduceByKeyCountsEachBatchAloneWhateverTheSizesBefore() async throws {
        var random = SplitMix(seed: 40)
        let large = (0..<40_000).flatMap { i in Array(repeating: "w\(i)", count: 1 + i % 2) }
        let batches = [large.shuffled(using: &random), ["w1", "w2", "w2"], large.shuffled(using: &random), []]
        let out = try await replay(batches) { $0.map { (Word($0), 1) }.reduceByKey(+) }
        let counts = out.map { batch in Dictionary(batch.map { ($0.0.text, $0.1) }, uniquingKeysWith: { _, _ in -1 }) }
        // Booleans, not dictionaries, in the expectations: a failure would print 40,000 keys.
        let firstIsRight = counts[0].count == 40_000 && (0..<40_000).allSatisfy { counts[0]["w\($0)"] == 1 + $0 % 2 }
        let secondIsRight = counts[1] == ["w1": 1, "w2": 2]
        let thirdIsTheFirstAgain = counts[2] == counts[0]
        #expect(firstIsRight)
        #expect(secondIsRight, "\(counts[1].count) keys")
        #expect(thirdIsTheFirstAgain)
        #expect(counts[3].count == 0)
    }

    /// The map side folds each record in a few records after it arrives (its table slot is
    /// fetched meanwhile): values still reach their key in arrival order.
    @Test func groupByKeyKeepsEachKeysValuesInArrivalOrder() async throws {
        let pairs = (0..<1_000).map { ("k\($0 % 7)", $0) }
        let groups = try await replay([pairs]) { $0.groupByKey() }
        #expect(groups[0].count == 7)
        #expect(groups[0].allSatisfy { key, values in values == pairs.filter { $0.0 == key }.map(\.1) })
    }

    /// `combineByKey` merges the partitions' combiners in partition order, so a combiner that is
    /// not commutative (a list) keeps each key's values in arrival order across partitions.
    @Test func combineByKeyMergesThePartitionsInArrivalOrder() async throws {
        var configuration = StreamingContext.Configuration()
        configuration.parallelism = 3
        let clock = ManualClock()
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock, configuration: configuration)
        let pairs = (0..<3_000).map { ("k\($0 % 11)", $0) }
        let seen = BatchLog<(String, [Int])>()
        try context.stream(from: QueueSource([pairs]))
            .combineByKey(createCombiner: { [$0] }, mergeValue: { $0 + [$1] }, mergeCombiners: { $0 + $1 })
            .foreachBatch { batch, _ in seen.append(batch.records) }
        try context.start()
        await clock.advance(by: .seconds(1))
        await context.stop(gracefully: false)
        let groups = try #require(seen.batches.first)
        #expect(groups.count == 11)
        #expect(groups.allSatisfy { key, values in values == pairs.filter { $0.0 == key }.map(\.1) })
    }

    @Test func groupByKeyAndCombineByKey() async throws {
        let pairs: [[(String, Int)]] = [[("a", 1), ("b", 5), ("a", 3)]]
        let groups = try await replay(pairs) { $0.groupByKey() }
        let averages = try await replay(pairs) { (stream: DStream<(String, Int)>) -> DStream<(String, Double)> in
            let sums: DStream<(String, SumAndCount)> = stream.combineByKey(
                createCombiner: { SumAndCount(sum: $0, count: 1) },
                mergeValue: { SumAndCount(sum: $0.sum + $1, count: $0.count + 1) },
                mergeCombiners: { SumAndCount(sum: $0.sum + $1.sum, count: $0.count + $1.count) })
            return sums.mapValues { Double($0.sum) / Double($0.count) }
        }
        #expect(Dictionary(uniqueKeysWithValues: groups[0]).mapValues { $0.sorted() } == ["a": [1, 3], "b": [5]])
        #expect(Dictionary(uniqueKeysWithValues: averages[0]) == ["a": 2.0, "b": 5.0])
    }

    @Test func mapValuesAndFlatMapValuesKeepKeys() async throws {
        let out = try await replay([[("k", "a b")]]) { $0.flatMapValues(Word.split).mapValues(\.text) }
        #expect(out[0].map { "\($0.0):\($0.1)" } == ["k:a", "k:b"])
    }

    @Test func unionAndTransform() async throws {
        let out = try await replay([["a"], ["b"]]) { lines in
            try lines.union(lines.map { $0.uppercased() })
                .transform { batch, time in Batch(batch.records.sorted().map { "\($0)@\(time.milliseconds)" }) }
        }
        #expect(out == [["A@1000", "a@1000"], ["B@2000", "b@2000"]])
    }

    @Test func joinsMatchSparkSemantics() async throws {
        let orders: [[(String, Int)]] = [[("ann", 1), ("bob", 2), ("ann", 3)]]
        func run<T: Sendable>(_ join: @escaping (DStream<(String, Int)>, DStream<(String, String)>) throws -> DStream<T>)
            async throws -> [String]
        {
            try await printed(orders) { stream in
                let cities = stream.context.stream(from: QueueSource([[("ann", "Oslo"), ("cid", "Rome")]]))
                return try join(stream, cities)
            }[0].sorted()
        }
        #expect(try await run { try $0.join($1) } == ["(ann,(1,Oslo))", "(ann,(3,Oslo))"])
        #expect(try await run { try $0.leftOuterJoin($1) } == ["(ann,(1,Some(Oslo)))", "(ann,(3,Some(Oslo)))", "(bob,(2,None))"])
        #expect(
            try await run { try $0.rightOuterJoin($1) } == ["(ann,(Some(1),Oslo))", "(ann,(Some(3),Oslo))", "(cid,(None,Rome))"])
        #expect(
            try await run { try $0.fullOuterJoin($1) }
                == [
                    "(ann,(Some(1),Some(Oslo)))", "(ann,(Some(3),Some(Oslo)))", "(bob,(Some(2),None))", "(cid,(None,Some(Rome)))",
                ])
        #expect(try await run { try $0.cogroup($1) } == ["(ann,([1, 3],[Oslo]))", "(bob,([2],[]))", "(cid,([],[Rome]))"])
    }

    @Test func sortingAndTopN() async throws {
        let counts: [[(Word, Int)]] = [[("b", 2), ("a", 2), ("c", 9), ("d", 1)]]
        let sorted = try await replay(counts) { $0.sortedByValueDescending() }
        let top = try await replay(counts) { $0.topByValue(2) }
        #expect(sorted[0].map(\.0.text) == ["c", "a", "b", "d"])
        #expect(top[0].map(\.0.text) == ["c", "a"])
    }

    /// Word counts take a faster sort (by numbers, words compared only on ties): it must order
    /// exactly as the generic one does, for short words, long words sharing 15- and 23-byte
    /// prefixes, equal counts and repeated words.
    @Test func wordCountsSortAsAnyPairsDo() async throws {
        let stems = [
            "a", "ab", "é", "https://t.co/abc", "https://t.co/abd", "https://t.co/ab", "#swift", "#swiftlang",
            "https://t.co/0123456789", "https://t.co/0123456789-and-more", "https://t.co/012345678",
        ]
        var counts: [(Word, Int)] = []
        for i in 0..<5_000 {
            let stem = stems[i * 7 % stems.count]
            counts.append((Word(stem + (i % 3 == 0 ? "" : "\(i % 97)")), i * 31 % 5))
        }
        let sorted = try await replay([counts]) { $0.sortedByValueDescending() }
        let generic = try await replay([counts.map { ($0.0.text, $0.1) }]) { $0.sortedByValueDescending() }
        #expect(sorted[0].map { "\($0.0)=\($0.1)" } == generic[0].map { "\($0.0)=\($0.1)" })
        #expect(sorted[0].count == counts.count)
    }

    /// The word-count sort partitions around medians: inputs already in order, in reverse
    /// order, or all of one count must come out as the generic sort orders them too.
    @Test(arguments: ["random", "ascending", "descending", "one count"])
    func wordCountsSortAsAnyPairsDoWhateverTheirArrivalOrder(_ arrival: String) async throws {
        var random = SplitMix(seed: 8)
        for size in [0, 1, 2, 17, 20_000] {
            let counts: [(Word, Int)] = (0..<size).map { i in
                let count =
                    switch arrival {
                    case "ascending": i / 3
                    case "descending": (size - i) / 3
                    case "one count": 7
                    default: Int(random.next() % 50)
                    }
                return (Word("w\(random.next() % 5_000)"), count)
            }
            let sorted = try await replay([counts]) { $0.sortedByValueDescending() }
            let generic = try await replay([counts.map { ($0.0.text, $0.1) }]) { $0.sortedByValueDescending() }
            let ours = sorted[0].map { "\($0.0)=\($0.1)" }, theirs = generic[0].map { "\($0.0)=\($0.1)" }
            // Compared by first difference: a failing `==` on arrays this long prints them whole.
            let firstDifference = zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(ours.count == size && theirs.count == size && firstDifference == nil, "\(arrival), \(size) records")
        }
    }

    @Test func repartitionAndMapPartitionsKeepEveryRecord() async throws {
        let out = try await replay([Array(1...10)]) { numbers in
            numbers.repartition(3).mapPartitions { [$0.reduce(0, +)] }.reduce(+)
        }
        #expect(out == [[55]])
    }

}

struct SumAndCount: Sendable {
    var sum: Int
    var count: Int
}
