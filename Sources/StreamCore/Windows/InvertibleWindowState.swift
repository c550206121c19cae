import Foundation

/// The state of an incremental windowed reduce: the current window's value per key, and each
/// recent batch's reduced values so they can be subtracted when they leave the window.
///
/// Moving the window costs time proportional to the entering and leaving batches, not to the
/// window length.
///
/// Sendable: mutated only by the scheduler thread while it runs a batch; checkpoints get value copies.
final class InvertibleWindowState<Key: Hashable & Codable & Sendable, Value: Codable & Sendable>:
    CheckpointParticipant, @unchecked Sendable
{
    var checkpointName = ""
    private(set) var window: [[Key: Value]]
    private var batches: [(index: Int, partitions: [[Key: Value]])] = []

    init(partitionCount: Int) {
        window = Array(repeating: [:], count: max(1, partitionCount))
    }

    /// Remembers a batch's values, already reduced by key and hash-partitioned.
    func record(index: Int, reduced: [[Key: Value]]) {
        batches.append((index, reduced))
    }

    /// Moves the window to end at batch `index`: values of batches in `(index − slide,
    /// index]` enter, values of batches in `(index − slide − length, index − length]` leave.
    /// Keys whose value no longer passes `filter` are removed.
    func slide(
        to index: Int, length: Int, slide: Int, on executor: ParallelExecutor,
        reduce: (Value, Value) throws -> Value, inverse: (Value, Value) throws -> Value,
        filter: (((Key, Value)) throws -> Bool)?
    ) throws {
        let entering = batches.filter { $0.index > index - slide && $0.index <= index }
        let leaving = batches.filter { $0.index > index - slide - length && $0.index <= index - length }
        try window.withUnsafeMutableBufferPointer { window in
            _ = try executor.map(window.count) { j in
                var touched: [Key] = []
                for batch in leaving {
                    for (key, value) in batch.partitions[j] {
                        guard let i = window[j].index(forKey: key) else { continue }
                        window[j].values[i] = try inverse(window[j].values[i], value)
                        if filter != nil { touched.append(key) }
                    }
                }
                for batch in entering {
                    for (key, value) in batch.partitions[j] {
                        if let i = window[j].index(forKey: key) {
                            window[j].values[i] = try reduce(window[j].values[i], value)
                        } else {
                            window[j][key] = value
                        }
                        if filter != nil { touched.append(key) }
                    }
                }
                guard let filter else { return }
                for key in touched {
                    if let value = window[j][key], try !filter((key, value)) { window[j].removeValue(forKey: key) }
                }
            }
        }
        batches.removeAll { $0.index <= index - length }
    }

    private struct Snapshot: Codable {
        var window: Data
        var indices: [Int]
        var batches: [Data]
    }

    func snapshot() -> CheckpointSnapshot {
        let window = window
        let batches = UncheckedSendable(batches)
        return {
            try JSONEncoder().encode(
                Snapshot(
                    window: try PairEncoding.encode(partitions: window),
                    indices: batches.value.map(\.index),
                    batches: try batches.value.map { try PairEncoding.encode(partitions: $0.partitions) }))
        }
    }

    func restore(from data: Data) throws {
        let snapshot = try JSONDecoder().decode(Snapshot.self, from: data)
        let count = window.count
        window = try PairEncoding.decode(snapshot.window, partitionedInto: count)
        batches = try zip(snapshot.indices, snapshot.batches).map { ($0, try PairEncoding.decode($1, partitionedInto: count)) }
    }
}
