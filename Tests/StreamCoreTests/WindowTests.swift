import Foundation
import StreamCore
import StreamTestSupport
import Testing

@Suite("Windows")
struct WindowTests {
    let numbers: [[Int]] = [[1], [2], [3], [4], [5], [6]]

    @Test func windowsStartPartialAndDrain() async throws {
        let out = try await replay(numbers, total: 8) { try $0.window(length: .seconds(3)) }
        #expect(out.map { $0.sorted() } == [[1], [1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6], [6]])
    }

    /// Mean and count per window without keeping the numbers, exact whatever the partitioning:
    /// 0.1 + 0.2 + 0.3 sums to 0.6 here, not 0.6000000000000001.
    @Test func summaryByWindowGivesCountsAndExactMeans() async throws {
        let out = try await replay([[0.1, 0.2], [0.3], [], []], total: 4) { try $0.summaryByWindow(length: .seconds(2)) }
        #expect(out.map { $0.map(\.count) } == [[2], [3], [1], [0]])
        #expect(out[1][0].sum == 0.6)
        #expect(out.map { $0.map(\.mean) } == [[0.15000000000000002], [0.19999999999999998], [0.3], [0]])
    }

    /// The record with the largest last digit: an arg-max, not a max.
    @Test func maxByWindowIsTheArgMaxOfTheWindow() async throws {
        let out = try await replay([[11, 25], [33], [], []], total: 4) { numbers in
            try numbers.maxByWindow(length: .seconds(2)) { $0 % 10 < $1 % 10 }
        }
        #expect(out == [[25], [25], [33], []])
    }

    @Test func aSlideOfTwoEmitsEveryOtherBatch() async throws {
        let out = try await replay(numbers) { try $0.window(length: .seconds(4), slide: .seconds(2)).reduce(+) }
        // Windows end at batches 2, 4 and 6: {1,2}, {1…4}, {3…6}.
        #expect(out == [[3], [10], [18]])
    }

    @Test func incrementalAndRecomputedWindowsAgreeWithASlide() async throws {
        let pairs = numbers.map { $0.map { ("k\($0 % 2)", $0) } }
        let recomputed = try await replay(pairs, total: 10) {
            try $0.reduceByKeyAndWindow(+, length: .seconds(4), slide: .seconds(2))
        }
        let incremental = try await replay(pairs, total: 10) {
            try $0.reduceByKeyAndWindow(+, inverse: -, length: .seconds(4), slide: .seconds(2), filter: { $0.1 != 0 })
        }
        let normalize = { (batches: [[(String, Int)]]) in batches.map { $0.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" } } }
        #expect(normalize(recomputed) == normalize(incremental))
        #expect(normalize(incremental) == [["k0=2", "k1=1"], ["k0=6", "k1=4"], ["k0=10", "k1=8"], ["k0=6", "k1=5"], []])
    }

    @Test func reduceByWindowAndGroupByKeyAndWindow() async throws {
        let sums = try await replay(numbers) { try $0.reduceByWindow(+, length: .seconds(2)) }
        let groups = try await replay([[("a", 1)], [("a", 2)], [("b", 3)]]) { try $0.groupByKeyAndWindow(length: .seconds(2)) }
        #expect(sums == [[1], [3], [5], [7], [9], [11]])
        #expect(groups.map { $0.sorted { $0.0 < $1.0 }.map { "\($0.0)\($0.1)" } } == [["a[1]"], ["a[1, 2]"], ["a[2]", "b[3]"]])
    }

    @Test func windowsMustBeMultiplesOfTheBatchInterval() throws {
        let context = StreamingContext(batchInterval: .seconds(2), clock: ManualClock())
        let lines = context.stream(from: QueueSource<String>())
        let error = #expect(throws: StreamingError.self) { try lines.window(length: .seconds(3)) }
        #expect(error?.description.contains("multiple of the batch interval") == true)
        #expect(throws: StreamingError.self) { try lines.window(length: .seconds(4), slide: .milliseconds(500)) }
        #expect(throws: StreamingError.self) {
            try lines.map { ($0, 1) }.reduceByKeyAndWindow(+, inverse: -, length: .seconds(2), slide: .seconds(4))
        }
    }

    @Test func aWindowOfRecordsThatAreNotCodableCannotBeCheckpointed() throws {
        struct Opaque: Sendable {}
        let context = StreamingContext(
            batchInterval: .seconds(1), clock: ManualClock(), checkpoint: try CheckpointStore(directory: temporaryDirectory()))
        try context.stream(from: QueueSource<String>()).map { _ in Opaque() }.window(length: .seconds(2), name: "opaque").print()
        let error = #expect(throws: StreamingError.self) { try context.start() }
        #expect(error?.description.contains("opaque") == true)
    }
}
