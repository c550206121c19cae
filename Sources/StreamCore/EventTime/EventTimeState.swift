import Foundation

/// The open windows of an event-time aggregation and its watermark, checkpointed together.
///
/// Sendable: every access to the windows and the watermark holds `lock`.
final class EventTimeState<Aggregate: Codable & Sendable>: CheckpointParticipant, @unchecked Sendable {
    var checkpointName = ""
    let lock = NSLock()
    var windows: [EventTimeWindow: Aggregate] = [:]
    /// The largest event time seen so far.
    var maxEventTime: Int64?
    /// Records at or before it are late; nil until the first record with an event time.
    var watermark: Int64?

    private struct Snapshot: Codable {
        var windows: [EventTimeWindow]
        var aggregates: [Aggregate]
        var maxEventTime: Int64?
        var watermark: Int64?
    }

    func snapshot() -> CheckpointSnapshot {
        let snapshot = lock.withLock {
            UncheckedSendable(
                Snapshot(
                    windows: Array(windows.keys), aggregates: Array(windows.values), maxEventTime: maxEventTime,
                    watermark: watermark))
        }
        return { try JSONEncoder().encode(snapshot.value) }
    }

    func restore(from data: Data) throws {
        let snapshot = try JSONDecoder().decode(Snapshot.self, from: data)
        lock.withLock {
            windows = Dictionary(uniqueKeysWithValues: zip(snapshot.windows, snapshot.aggregates))
            maxEventTime = snapshot.maxEventTime
            watermark = snapshot.watermark
        }
    }
}
