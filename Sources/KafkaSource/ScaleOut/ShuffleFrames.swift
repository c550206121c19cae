/// The key of a record on a repartition topic: part `part` of `parts` of what one batch of
/// one input partition (`[from, until)`) sends to one task. A task applies a batch once all
/// its parts arrived, and recognizes it when a member that took the input partition over
/// sends it again (`attempt` tells two sendings apart).
struct RepartitionFrame: Hashable {
    var task: Int
    var input: Int32
    var from: Int64
    var until: Int64
    var attempt: UInt64
    var part: Int
    var parts: Int

    /// The batch this frame is part of, whichever part it is.
    var batch: BatchID { BatchID(input: input, from: from, until: until, attempt: attempt) }

    struct BatchID: Hashable {
        var input: Int32
        var from: Int64
        var until: Int64
        var attempt: UInt64
    }

    var encoded: [UInt8] {
        frameKey(
            Self.magic,
            [UInt64(task), UInt64(UInt32(bitPattern: input)), UInt64(from), UInt64(until), attempt, UInt64(part), UInt64(parts)])
    }

    /// Nil when `bytes` is not a frame (a record someone else wrote to the topic).
    init?(decoding bytes: [UInt8]?) {
        guard let fields = frameFields(bytes, Self.magic, count: 7) else { return nil }
        (task, input, from, until) = (Int(fields[0]), Int32(truncatingIfNeeded: fields[1]), Int64(fields[2]), Int64(fields[3]))
        (attempt, part, parts) = (fields[4], Int(fields[5]), Int(fields[6]))
    }

    init(task: Int, range: OffsetRange, attempt: UInt64, part: Int, parts: Int) {
        self.task = task
        self.input = range.topicPartition.partition
        self.from = range.from
        self.until = range.until
        self.attempt = attempt
        self.part = part
        self.parts = parts
    }

    private static let magic: UInt8 = 0x52  // "R"
}

/// The key of a record on a changelog topic: part `part` of `parts` of one entry of a task's
/// state, either a snapshot (every key) or a delta (the keys one batch changed). Part 0's
/// value starts with where the state stands (`ChangelogPosition`).
struct ChangelogFrame: Hashable {
    var task: Int
    var entry: UInt64
    var isSnapshot: Bool
    var part: Int
    var parts: Int

    var encoded: [UInt8] { frameKey(Self.magic, [UInt64(task), entry, isSnapshot ? 1 : 0, UInt64(part), UInt64(parts)]) }

    init?(decoding bytes: [UInt8]?) {
        guard let fields = frameFields(bytes, Self.magic, count: 5) else { return nil }
        (task, entry, isSnapshot, part, parts) = (Int(fields[0]), fields[1], fields[2] == 1, Int(fields[3]), Int(fields[4]))
    }

    init(task: Int, entry: UInt64, isSnapshot: Bool, part: Int, parts: Int) {
        (self.task, self.entry, self.isSnapshot, self.part, self.parts) = (task, entry, isSnapshot, part, parts)
    }

    private static let magic: UInt8 = 0x43  // "C"
}

/// A frame's Kafka key: its kind's magic byte, then its fields as varints.
private func frameKey(_ magic: UInt8, _ fields: [UInt64]) -> [UInt8] {
    var bytes = [magic]
    for field in fields { bytes.appendVarint(field) }
    return bytes
}

/// The fields of a frame's key; nil when `bytes` is not a key of that kind.
private func frameFields(_ bytes: [UInt8]?, _ magic: UInt8, count: Int) -> [UInt64]? {
    guard let bytes, bytes.first == magic else { return nil }
    var reader = KafkaBytesReader(Array(bytes.dropFirst()))
    guard let fields = try? (0..<count).map({ _ in try reader.readVarint() }), reader.isAtEnd else { return nil }
    return fields
}

/// What a task's state reflects: the repartition offset it has read up to, and per input
/// partition where the last batch it applied ended.
struct ChangelogPosition {
    var next: Int64
    var applied: [Int32: Int64]

    func write(to bytes: inout [UInt8]) {
        bytes.appendSigned(next)
        bytes.appendVarint(UInt64(applied.count))
        for (input, until) in applied.sorted(by: { $0.key < $1.key }) {
            bytes.appendSigned(Int64(input))
            bytes.appendSigned(until)
        }
    }

    init(next: Int64, applied: [Int32: Int64]) {
        self.next = next
        self.applied = applied
    }

    init(reading reader: inout KafkaBytesReader) throws {
        next = try reader.readSigned()
        applied = [:]
        for _ in 0..<Int(try reader.readVarint()) {
            let input = Int32(truncatingIfNeeded: try reader.readSigned())
            applied[input] = try reader.readSigned()
        }
    }
}

/// Key/value pairs encoded back to back, cut into chunks of about `limit` bytes (Kafka's
/// records have a size limit); never fewer than one chunk.
func encodedChunks<Key: KafkaBytesCodable, Value: KafkaBytesCodable>(
    _ pairs: some Sequence<(key: Key, value: Value)>, limit: Int = 512 * 1024, prefix: [UInt8] = []
) -> [[UInt8]] {
    var chunks: [[UInt8]] = []
    var chunk = prefix
    for (key, value) in pairs {
        key.write(to: &chunk)
        value.write(to: &chunk)
        if chunk.count >= limit {
            chunks.append(chunk)
            chunk = []
        }
    }
    if !chunk.isEmpty || chunks.isEmpty { chunks.append(chunk) }
    return chunks
}

/// Calls `body` with each pair of a chunk written by `encodedChunks`.
func forEachPair<Key: KafkaBytesCodable, Value: KafkaBytesCodable>(
    in reader: inout KafkaBytesReader, _ body: (Key, Value) throws -> Void
) throws {
    while !reader.isAtEnd {
        let key = try Key(reading: &reader)
        try body(key, try Value(reading: &reader))
    }
}

/// A key's task: the same on every member (FNV-1a over the key's bytes, not Swift's per-process seeded hash).
func task<Key: KafkaBytesCodable>(of key: Key, among count: Int, scratch: inout [UInt8]) -> Int {
    scratch.removeAll(keepingCapacity: true)
    key.write(to: &scratch)
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in scratch {
        hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    return Int(hash % UInt64(count))
}
